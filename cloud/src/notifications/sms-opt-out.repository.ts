import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';

/**
 * Owns `sms_opt_outs`: numbers that texted STOP (or a carrier opt-out keyword) to us. A send reads
 * them with the message's facts (`notification-facts.query.ts`), in the same round trip.
 */
export class SmsOptOutRepository {
  constructor(private readonly db: Database) {}

  async optOut(phone: string, keyword: string): Promise<void> {
    await this.db.execute(sql`INSERT INTO sms_opt_outs (phone, keyword) VALUES (${phone}, ${keyword.slice(0, 20)})
      ON CONFLICT (phone) DO UPDATE SET keyword = excluded.keyword`);
  }

  async optIn(phone: string): Promise<void> {
    await this.db.execute(sql`DELETE FROM sms_opt_outs WHERE phone = ${phone}`);
  }
}
