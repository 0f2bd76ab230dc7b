/**
 * Opening hours of one bay on one weekday (seed table `availability_rules`).
 *
 * `start_time`/`end_time` are facility-local wall-clock times 'HH:MM' (PostgreSQL's 'HH:MM:SS' is
 * accepted too). When `end_time` <= `start_time` the window runs past midnight: a Friday rule
 * 10:00–02:00 ends at 02:00 on Saturday and its slots belong to Friday's listing. `end_time`
 * '24:00' means the next midnight.
 */
export interface AvailabilityRule {
  id: string;
  simulator_id: string;
  /** 0 = Sunday … 6 = Saturday (JavaScript / PostgreSQL `dow` convention). */
  day_of_week: number;
  start_time: string;
  end_time: string;
  /** Grid step in minutes: slots start at start_time + k × slot_duration (real elapsed minutes). */
  slot_duration: number;
  /** Minutes kept free before and after every booking or hold on this bay. */
  buffer_time: number;
  /** A slot may start at most this many calendar days (facility zone) after now. */
  max_advance_days: number;
  /** A slot must start at least this many hours after now (shorter notice: walk-ins at the edge). */
  min_advance_hours: number;
}
