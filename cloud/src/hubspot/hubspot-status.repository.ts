import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { hubspotSyncItems } from '../db/schema/hubspot.schema.js';
import { customers, hubspotOutbox } from '../db/schema/index.js';
import type { SyncItemRow } from './hubspot-sync.repository.js';

export interface CustomerSyncState {
  customerId: string;
  email: string;
  hubspotContactId: string | null;
  pending: number;
  failed: number;
  done: number;
  attempts: number;
  lastError: string | null;
  lastSyncedAt: Date | null;
}

/** What admins see of the sync, and the manual retry of a failed item. */
export class HubspotStatusRepository {
  constructor(private readonly db: Database) {}

  async customerStates(filter: {
    customerId?: string;
    state?: 'synced' | 'pending' | 'failed';
    limit: number;
    offset: number;
  }): Promise<CustomerSyncState[]> {
    const i = hubspotSyncItems;
    const pending = sql<number>`(count(*) filter (where ${i.status} = 'pending'))::int`;
    const failed = sql<number>`(count(*) filter (where ${i.status} = 'failed'))::int`;
    const having =
      filter.state === 'failed'
        ? sql`count(*) filter (where ${i.status} = 'failed') > 0`
        : filter.state === 'pending'
          ? sql`count(*) filter (where ${i.status} = 'failed') = 0 and count(*) filter (where ${i.status} = 'pending') > 0`
          : filter.state === 'synced'
            ? sql`count(*) filter (where ${i.status} <> 'done') = 0`
            : undefined;
    const query = this.db
      .select({
        customerId: customers.id,
        email: customers.email,
        hubspotContactId: customers.hubspotContactId,
        pending,
        failed,
        done: sql<number>`(count(*) filter (where ${i.status} = 'done'))::int`,
        attempts: sql<number>`coalesce(max(${i.attempts}) filter (where ${i.status} <> 'done'), 0)::int`,
        lastError: sql<
          string | null
        >`(array_agg(${i.lastError} order by ${i.updatedAt} desc) filter (where ${i.status} <> 'done' and ${i.lastError} is not null))[1]`,
        lastSyncedAt: sql<Date | null>`max(${i.doneAt})`.mapWith((v: string | Date | null) =>
          v === null ? null : new Date(v),
        ),
      })
      .from(i)
      .innerJoin(customers, eq(customers.id, i.customerId))
      .where(filter.customerId ? eq(i.customerId, filter.customerId) : undefined)
      .groupBy(customers.id)
      .having(having)
      .orderBy(desc(failed), desc(pending), asc(customers.email))
      .limit(filter.limit)
      .offset(filter.offset);
    return query;
  }

  /** Pending and failed items of these customers, oldest first. */
  async openItems(customerIds: string[], perCustomer: number): Promise<SyncItemRow[]> {
    if (customerIds.length === 0) return [];
    const rows = await this.db
      .select()
      .from(hubspotSyncItems)
      .where(
        and(
          inArray(hubspotSyncItems.customerId, customerIds),
          inArray(hubspotSyncItems.status, ['pending', 'failed']),
        ),
      )
      .orderBy(asc(hubspotSyncItems.id));
    const counts = new Map<string, number>();
    return rows.filter((r) => {
      const n = counts.get(r.customerId) ?? 0;
      counts.set(r.customerId, n + 1);
      return n < perCustomer;
    });
  }

  async totals(): Promise<{ pending: number; failed: number; done: number; events: number }> {
    const [items] = await this.db
      .select({
        pending: sql<number>`(count(*) filter (where ${hubspotSyncItems.status} = 'pending'))::int`,
        failed: sql<number>`(count(*) filter (where ${hubspotSyncItems.status} = 'failed'))::int`,
        done: sql<number>`(count(*) filter (where ${hubspotSyncItems.status} = 'done'))::int`,
      })
      .from(hubspotSyncItems);
    const [events] = await this.db
      .select({ n: sql<number>`count(*)::int` })
      .from(hubspotOutbox)
      .where(isNull(hubspotOutbox.doneAt));
    return {
      pending: items?.pending ?? 0,
      failed: items?.failed ?? 0,
      done: items?.done ?? 0,
      events: events?.n ?? 0,
    };
  }

  async findItem(id: number): Promise<SyncItemRow | undefined> {
    const [row] = await this.db.select().from(hubspotSyncItems).where(eq(hubspotSyncItems.id, id)).limit(1);
    return row;
  }

  /**
   * Puts a failed item back in the queue, due now, with a fresh failure budget. A failed contact
   * item whose customer already has a pending one is folded into it (one upsert sends both).
   */
  async requeue(id: number, now: Date): Promise<SyncItemRow | undefined> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx.select().from(hubspotSyncItems).where(eq(hubspotSyncItems.id, id)).for('update');
      if (row?.status !== 'failed') return row;
      if (row.kind === 'contact.upsert') {
        const [open] = await tx
          .select({ id: hubspotSyncItems.id })
          .from(hubspotSyncItems)
          .where(
            and(
              eq(hubspotSyncItems.customerId, row.customerId),
              eq(hubspotSyncItems.kind, 'contact.upsert'),
              eq(hubspotSyncItems.status, 'pending'),
            ),
          );
        if (open) {
          await tx
            .update(hubspotSyncItems)
            .set({ revision: sql`${hubspotSyncItems.revision} + 1`, nextAttemptAt: now, updatedAt: now })
            .where(eq(hubspotSyncItems.id, open.id));
          const [merged] = await tx
            .update(hubspotSyncItems)
            .set({
              status: 'done',
              result: 'skipped',
              lastError: `merged into item ${open.id}`,
              doneAt: now,
              updatedAt: now,
            })
            .where(eq(hubspotSyncItems.id, id))
            .returning();
          return merged;
        }
      }
      const [requeued] = await tx
        .update(hubspotSyncItems)
        .set({ status: 'pending', failures: 0, nextAttemptAt: now, updatedAt: now })
        .where(eq(hubspotSyncItems.id, id))
        .returning();
      return requeued;
    });
  }
}
