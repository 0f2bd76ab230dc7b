import type { KindChannels } from '@clubos/shared/notifications';
import { type SQL, sql } from 'drizzle-orm';
import type { Database, Executor } from '../db/client.js';

async function rows<T>(executor: Executor, query: SQL): Promise<T[]> {
  return ((await executor.execute(query)) as unknown as { rows: T[] }).rows;
}

/** Whose choices a page shows: the customer's address and overall switches (read, not owned). */
export interface PreferenceOwner {
  customerId: string;
  email: string;
  preferences: Record<string, unknown>;
}

/** Owns `notification_preferences`: a customer's channels per message kind (no row: every channel). */
export class NotificationPreferenceRepository {
  constructor(private readonly db: Database) {}

  async owner(customerId: string): Promise<PreferenceOwner | undefined> {
    const [r] = await rows<{ id: string; email: string; preferences: unknown }>(
      this.db,
      sql`SELECT id, email, preferences FROM customers WHERE id = ${customerId}::uuid AND deleted_at IS NULL`,
    );
    return r ? ownerOf(r) : undefined;
  }

  /** The customer an (old, address-signed) unsubscribe link was mailed to. */
  async ownerByEmail(email: string): Promise<PreferenceOwner | undefined> {
    const [r] = await rows<{ id: string; email: string; preferences: unknown }>(
      this.db,
      sql`SELECT id, email, preferences FROM customers WHERE email = ${email.toLowerCase()} AND deleted_at IS NULL`,
    );
    return r ? ownerOf(r) : undefined;
  }

  async choices(customerId: string, tx: Executor = this.db): Promise<Map<string, KindChannels>> {
    const found = await rows<{ kind: string; email: boolean; sms: boolean; in_app: boolean }>(
      tx,
      sql`SELECT kind, email, sms, in_app FROM notification_preferences WHERE customer_id = ${customerId}::uuid`,
    );
    return new Map(found.map((r) => [r.kind, { email: r.email, sms: r.sms, in_app: r.in_app }]));
  }

  /** Stores the kinds given (all three channels each), in one statement. */
  async save(customerId: string, kinds: Record<string, KindChannels>, at: Date): Promise<void> {
    const list = Object.entries(kinds).map(([kind, c]) => ({ kind, ...c }));
    if (list.length === 0) return;
    await this.db.execute(sql`INSERT INTO notification_preferences (customer_id, kind, email, sms, in_app, updated_at)
      SELECT ${customerId}::uuid, x.kind, x.email, x.sms, x.in_app, ${at.toISOString()}::timestamptz
      FROM jsonb_to_recordset(${JSON.stringify(list)}::jsonb) AS x(kind text, email boolean, sms boolean, in_app boolean)
      ON CONFLICT (customer_id, kind) DO UPDATE SET email = excluded.email, sms = excluded.sms,
        in_app = excluded.in_app, updated_at = excluded.updated_at`);
  }
}

function ownerOf(r: { id: string; email: string; preferences: unknown }): PreferenceOwner {
  const preferences = (typeof r.preferences === 'string' ? JSON.parse(r.preferences) : r.preferences) ?? {};
  return { customerId: r.id, email: r.email, preferences: preferences as Record<string, unknown> };
}
