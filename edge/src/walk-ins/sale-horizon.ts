import type { AvailabilityRule } from '@clubos/shared/model';

/**
 * The end of the time an offline edge may sell for good (docs/decisions/006-who-sells-which-time.md): the
 * public channels never sell a start closer than `min_advance` to their "now", so nothing the cloud sold
 * after the edge's last complete pull can start before `last_successful_pull + min_advance`. The bay's buffer
 * is kept clear in front of such a booking too, so it comes off the horizon. Null: never pulled.
 *
 * The bay's shortest notice and largest buffer are used, to stay on the safe side of every rule.
 */
export function offlineSaleHorizon(
  lastSuccessfulPull: number | null,
  rules: readonly AvailabilityRule[],
): number | null {
  if (lastSuccessfulPull === null) return null;
  const minAdvanceMs =
    rules.length === 0 ? 0 : Math.min(...rules.map((r) => r.min_advance_hours)) * 3_600_000;
  const bufferMs = rules.length === 0 ? 0 : Math.max(...rules.map((r) => r.buffer_time)) * 60_000;
  return lastSuccessfulPull + minAdvanceMs - bufferMs;
}
