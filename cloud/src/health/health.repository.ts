import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';

export class HealthRepository {
  constructor(private readonly db: Database) {}

  async ping(): Promise<boolean> {
    try {
      await this.db.execute(sql`select 1`);
      return true;
    } catch {
      return false;
    }
  }
}
