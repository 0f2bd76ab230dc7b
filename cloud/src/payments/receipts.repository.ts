import { eq } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { facilities, simulators } from '../db/schema/facilities.schema.js';

export interface ReceiptPlace {
  facilityName: string;
  bayName: string;
  timezone: string;
}

/** The names a receipt prints (read-only: the venue's and the bay's). */
export class ReceiptsRepository {
  constructor(private readonly db: Database) {}

  async placeOf(simulatorId: string): Promise<ReceiptPlace | undefined> {
    const [place] = await this.db
      .select({ bayName: simulators.name, facilityName: facilities.name, timezone: facilities.timezone })
      .from(simulators)
      .innerJoin(facilities, eq(facilities.id, simulators.facilityId))
      .where(eq(simulators.id, simulatorId))
      .limit(1);
    return place;
  }
}
