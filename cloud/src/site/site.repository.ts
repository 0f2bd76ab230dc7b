import { asc } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { facilities } from '../db/schema/index.js';

export interface PublicFacilityRow {
  id: string;
  name: string;
  address: string | null;
  timezone: string;
  settings: Record<string, unknown>;
}

/** Reads for the public booking site: the venues a visitor can pick from. */
export class SiteRepository {
  constructor(private readonly db: Database) {}

  async listFacilities(): Promise<PublicFacilityRow[]> {
    const rows = await this.db.select().from(facilities).orderBy(asc(facilities.name));
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      address: r.address,
      timezone: r.timezone,
      settings: r.settings,
    }));
  }
}
