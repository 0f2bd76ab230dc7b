/**
 * Time already taken on a bay: an active booking (pending, confirmed, checked_in) or an unexpired
 * hold. `[start, end)` in epoch ms WITHOUT the buffer: the engine adds the bay's buffer on both
 * sides, as the database's exclusion constraint does.
 */
export type BusyKind = 'booking' | 'hold';

export interface BusyInterval {
  id: string;
  simulator_id: string;
  kind: BusyKind;
  start: number;
  end: number;
}
