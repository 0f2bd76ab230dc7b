/** A bay is the seed's "simulator" (table `simulators`); its id is `simulator_id` everywhere. */
export type BayStatus = 'active' | 'maintenance' | 'inactive';

export const BAY_STATUSES: readonly BayStatus[] = ['active', 'maintenance', 'inactive'];

export interface Bay {
  id: string;
  facility_id: string;
  name: string;
  /** 'trackman', 'foresight', … (free text in the seed). */
  type: string | null;
  bay_number: number | null;
  /** The seed's `hourly_rate` DECIMAL(10,2), held as integer cents in the domain. */
  hourly_rate_cents: number;
  status: BayStatus;
  /**
   * With status 'maintenance': the bay is blocked before this instant (epoch ms) and sellable from
   * it on. `null` with status 'maintenance' means blocked until staff reactivate it.
   */
  maintenance_until: number | null;
}
