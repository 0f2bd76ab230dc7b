/**
 * Time nobody may book: a facility-wide closure (`simulator_id: null`, e.g. a holiday) or a block
 * on one bay (e.g. scheduled maintenance). `[start, end)` in epoch ms. Buffers do not apply.
 */
export type ClosureKind = 'closure' | 'maintenance';

export interface Closure {
  id: string;
  facility_id: string;
  simulator_id: string | null;
  kind: ClosureKind;
  start: number;
  end: number;
  reason: string | null;
}
