/**
 * A venue (seed table `facilities`). `timezone` is an IANA zone name; every local rule (opening
 * hours, peak pricing, "tomorrow") is evaluated in it, while instants stay UTC epoch milliseconds.
 */
export interface FacilitySettings {
  /** Sales tax in basis points: 1300 = 13 %. Applied once to a quote's subtotal. */
  tax_rate_bps: number;
  /** The seed keeps `settings` as free JSONB; other keys pass through untouched. */
  [key: string]: unknown;
}

export interface Facility {
  id: string;
  name: string;
  /** IANA zone, e.g. 'America/Toronto' (the seed's default). */
  timezone: string;
  settings: FacilitySettings;
}
