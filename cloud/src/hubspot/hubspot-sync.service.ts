import { DomainError, notFound } from '@clubos/shared/errors';
import type { HubspotStatusResponse, SyncItemResponse } from './hubspot.schemas.js';
import type { CustomerSyncState, HubspotStatusRepository } from './hubspot-status.repository.js';
import type { SyncItemRow } from './hubspot-sync.repository.js';
import type { HubspotSyncWorker } from './hubspot-sync.worker.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toItemResponse(row: SyncItemRow): SyncItemResponse {
  return {
    id: row.id,
    kind: row.kind,
    customer_id: row.customerId,
    booking_id: row.bookingId,
    status: row.status as SyncItemResponse['status'],
    attempts: row.attempts,
    failures: row.failures,
    last_error: row.lastError,
    next_attempt_at: row.nextAttemptAt.toISOString(),
    last_attempt_at: iso(row.lastAttemptAt),
    hubspot_id: row.hubspotId,
    result: row.result,
    created_at: row.createdAt.toISOString(),
  };
}

const stateOf = (c: CustomerSyncState) => (c.failed > 0 ? 'failed' : c.pending > 0 ? 'pending' : 'synced');

/** What admins see of the HubSpot sync, and the manual retry of a failed item. */
export class HubspotSyncService {
  constructor(
    private readonly repo: HubspotStatusRepository,
    /** null when the sync is disabled (no access token). */
    private readonly worker: HubspotSyncWorker | null,
    private readonly clock: () => number = Date.now,
  ) {}

  async status(query: {
    state?: 'synced' | 'pending' | 'failed';
    customer_id?: string;
    limit: number;
    offset: number;
  }): Promise<HubspotStatusResponse> {
    const states = await this.repo.customerStates({
      ...(query.state ? { state: query.state } : {}),
      ...(query.customer_id ? { customerId: query.customer_id } : {}),
      limit: query.limit,
      offset: query.offset,
    });
    const open = await this.repo.openItems(
      states.map((s) => s.customerId),
      20,
    );
    const totals = await this.repo.totals();
    const health = this.worker?.health();
    return {
      enabled: this.worker !== null,
      available: health?.available ?? false,
      paused_until: health?.pausedUntil ? new Date(health.pausedUntil).toISOString() : null,
      last_error: health?.lastError ?? null,
      totals: {
        pending: totals.pending,
        failed: totals.failed,
        done: totals.done,
        events_waiting: totals.events,
      },
      customers: states.map((s) => ({
        customer_id: s.customerId,
        email: s.email,
        hubspot_contact_id: s.hubspotContactId,
        state: stateOf(s),
        pending: s.pending,
        failed: s.failed,
        done: s.done,
        attempts: s.attempts,
        last_error: s.lastError,
        last_synced_at: iso(s.lastSyncedAt),
        open_items: open.filter((i) => i.customerId === s.customerId).map(toItemResponse),
      })),
    };
  }

  /** A failed item goes back in the queue, due now, with a fresh failure budget. */
  async retry(id: number): Promise<SyncItemResponse> {
    const item = await this.repo.findItem(id);
    if (!item) throw notFound('HubSpot sync item', String(id));
    if (item.status !== 'failed') {
      throw new DomainError(
        'INVALID_STATE',
        `HubSpot sync item ${id} is ${item.status}; only failed items can be retried`,
        {
          field: 'id',
        },
      );
    }
    const requeued = await this.repo.requeue(id, new Date(this.clock()));
    return toItemResponse(requeued!);
  }
}
