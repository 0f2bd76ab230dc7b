/** NinjaOne scripts the session automation runs on a bay PC (names as configured in the tenant). */
export const SIMULATOR_PREP = 'SIMULATOR_PREP';
export const SIMULATOR_CLEANUP = 'SIMULATOR_CLEANUP';

/** `bays.ninjaone_device_id` is text in the replica; NinjaOne ids are integers. */
export function ninjaDeviceId(value: string | null | undefined): number | null {
  if (value === null || value === undefined || !/^\d+$/.test(value.trim())) return null;
  const id = Number(value.trim());
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}
