import type { FastifyBaseLogger } from 'fastify';
import { CUSTOM_PROPERTIES, type HubspotCrmClient } from './hubspot-crm.client.js';
import { planSyncItems } from './hubspot-fanout.plan.js';
import type { BookingEventKind, HubspotOutboxRepository } from './hubspot-outbox.repository.js';
import { contactProperties, dealProperties, dealState, noteProperties } from './hubspot-payloads.js';
import {
  type BackoffSettings,
  backoffMs,
  classifyFailure,
  DEFAULT_BACKOFF,
  type FailureClass,
} from './hubspot-retry.policy.js';
import { SyncPacer, type WorkerHealth } from './hubspot-sync.pacer.js';
import type { HubspotSyncRepository, SyncItemRow } from './hubspot-sync.repository.js';

export interface HubspotWorkerSettings {
  dealMinValueCents: number;
  maxFailures: number;
  pollIntervalMs: number;
  /** How long a claimed item stays hidden from other passes (longer than a pass can take). */
  leaseMs?: number;
  backoff?: BackoffSettings;
}

export interface HubspotWorkerDeps {
  repo: HubspotSyncRepository;
  outbox: Pick<HubspotOutboxRepository, 'fanOut'>;
  crm: Pick<
    HubspotCrmClient,
    | 'propertyNames'
    | 'createProperty'
    | 'upsertContacts'
    | 'createNote'
    | 'createDeal'
    | 'updateDeal'
    | 'findAssociatedByEventId'
  >;
  log: FastifyBaseLogger;
  /** Epoch ms; tests move it to drive backoff without waiting. */
  clock?: () => number;
  random?: () => number;
}

export interface PassReport {
  events: number;
  sent: number;
  succeeded: number;
  failed: number;
  /** Why the pass stopped early (HubSpot paused us), if it did. */
  interrupted: FailureClass['kind'] | 'paused' | null;
}

const CONTACT_BATCH = 100; // HubSpot's batch upsert limit
const CREATE_CHUNK = 25;
const MAX_ITEMS_PER_PASS = 2_000;

/** Raised inside a pass when HubSpot told us to stop for now; the rest of the pass is released. */
class Interrupt extends Error {
  constructor(readonly reason: FailureClass['kind']) {
    super(reason);
  }
}

/**
 * Sends the HubSpot outbox (DESIGN.md decision 9). A pass: fan new outbox events out into items
 * (one per HubSpot operation), batch-upsert due contacts (≤ 100 per call), then create notes and
 * create/update deals one by one. Any 429 pauses the whole sync until Retry-After (or the
 * policy's window); an unreachable HubSpot pauses it with exponential backoff and jitter. Bookings
 * never wait: they only wrote an outbox row.
 *
 * Idempotency: contacts are upserted by email. A note or deal carries `clubos_event_id`, the id it
 * got is stored in the same statement that acknowledges the item, and a create that was sent
 * before (a timeout, a reset, a crash before the acknowledgement) is first looked up among the
 * contact's associations, a strongly consistent read, before it is sent again.
 */
export class HubspotSyncWorker {
  private readonly clock: () => number;
  private readonly random: () => number;
  private readonly leaseMs: number;
  private readonly backoff: BackoffSettings;
  private readonly pacer: SyncPacer;
  private propertiesReady = false;
  private running: Promise<PassReport> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;

  constructor(
    private readonly deps: HubspotWorkerDeps,
    private readonly settings: HubspotWorkerSettings,
  ) {
    this.clock = deps.clock ?? Date.now;
    this.random = deps.random ?? Math.random;
    this.leaseMs = settings.leaseMs ?? 10 * 60_000;
    this.backoff = settings.backoff ?? DEFAULT_BACKOFF;
    this.pacer = new SyncPacer(deps.log, this.clock, this.random, this.backoff);
  }

  health(): WorkerHealth & { propertiesReady: boolean } {
    return { ...this.pacer.health(), propertiesReady: this.propertiesReady };
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(async () => {
      try {
        await this.runOnce();
      } catch (error) {
        this.deps.log.error({ err: error }, 'HubSpot sync pass failed');
      }
      const untilResume = this.pacer.resumeAt() - this.clock();
      this.schedule(Math.min(2 ** 31 - 1, Math.max(this.settings.pollIntervalMs, untilResume)));
    }, delayMs);
    this.timer.unref();
  }

  /** One pass; concurrent callers share the pass in progress, then run their own. */
  async runOnce(): Promise<PassReport> {
    while (this.running) await this.running.catch(() => undefined);
    this.running = this.pass();
    try {
      return await this.running;
    } finally {
      this.running = null;
    }
  }

  private now(): Date {
    return new Date(this.clock());
  }

  private async pass(): Promise<PassReport> {
    const report: PassReport = { events: 0, sent: 0, succeeded: 0, failed: 0, interrupted: null };
    report.events = await this.deps.outbox.fanOut(500, this.now(), (event, booking) => {
      const items = planSyncItems(event, booking, this.settings.dealMinValueCents);
      if (items === null) {
        this.deps.log.warn(
          { kind: event.kind, id: event.id },
          'HubSpot outbox: ignoring an event of unknown kind',
        );
      }
      return items ?? [];
    });
    if (this.pacer.isPaused()) return { ...report, interrupted: 'paused' };
    try {
      await this.ensureProperties();
      let handled = 0;
      for (;;) {
        const contacts = await this.deps.repo.claim(
          ['contact.upsert'],
          this.now(),
          CONTACT_BATCH,
          this.leaseMs,
        );
        if (contacts.length === 0) break;
        await this.sendContacts(contacts, report);
        handled += contacts.length;
        if (handled >= MAX_ITEMS_PER_PASS) return report;
      }
      for (;;) {
        const items = await this.deps.repo.claim(
          ['note.create', 'deal.sync'],
          this.now(),
          CREATE_CHUNK,
          this.leaseMs,
        );
        if (items.length === 0) break;
        for (const [index, item] of items.entries()) {
          try {
            await this.sendOne(item, report);
          } catch (error) {
            if (error instanceof Interrupt) {
              await this.deps.repo.release(
                items.slice(index + 1).map((i) => i.id),
                new Date(this.pacer.resumeAt()),
              );
            }
            throw error;
          }
        }
        handled += items.length;
        if (handled >= MAX_ITEMS_PER_PASS) return report;
      }
    } catch (error) {
      if (error instanceof Interrupt) return { ...report, interrupted: error.reason };
      throw error;
    }
    return report;
  }

  private async ensureProperties(): Promise<void> {
    if (this.propertiesReady) return;
    try {
      for (const objectType of ['contacts', 'notes', 'deals'] as const) {
        const existing = await this.deps.crm.propertyNames(objectType);
        for (const spec of CUSTOM_PROPERTIES.filter((p) => p.objectType === objectType)) {
          if (!existing.has(spec.create.name)) await this.deps.crm.createProperty(spec);
        }
      }
    } catch (error) {
      const failure = classifyFailure(error, this.clock());
      // Nothing can be sent without the properties: even a rejection backs off like an outage
      // (and stays visible as the last error) instead of being asked again every poll.
      this.pacer.pauseFor(
        failure.kind === 'rejected'
          ? { kind: 'unavailable', ambiguous: false, counts: false, message: failure.message }
          : failure,
      );
      throw new Interrupt(failure.kind);
    }
    this.propertiesReady = true;
    this.pacer.markAvailable();
  }

  private async sendContacts(items: SyncItemRow[], report: PassReport): Promise<void> {
    const facts = new Map(
      (await this.deps.repo.customers(items.map((i) => i.customerId))).map((c) => [c.id, c]),
    );
    const sendable: SyncItemRow[] = [];
    for (const item of items) {
      const customer = facts.get(item.customerId);
      // An erased customer (GDPR) is not sent again.
      if (!customer || customer.deletedAt) {
        await this.deps.repo.succeed(item, { hubspotId: null, result: 'skipped' }, this.now());
        report.succeeded++;
      } else sendable.push(item);
    }
    if (sendable.length === 0) return;
    await this.deps.repo.markSent(
      sendable.map((i) => i.id),
      this.now(),
    );
    report.sent += sendable.length;
    try {
      // An account and its detached guest record share one email: one input per contact.
      const inputs = new Map(
        sendable.map((i) => {
          const customer = facts.get(i.customerId)!;
          return [customer.email, { email: customer.email, properties: contactProperties(customer) }];
        }),
      );
      const results = await this.deps.crm.upsertContacts([...inputs.values()]);
      this.pacer.markAvailable();
      const byEmail = new Map(results.map((r) => [r.email, r]));
      await this.deps.repo.setContactIds(
        sendable.flatMap((i) => {
          const r = byEmail.get(facts.get(i.customerId)!.email);
          return r ? [{ customerId: i.customerId, contactId: r.id }] : [];
        }),
      );
      for (const item of sendable) {
        const r = byEmail.get(facts.get(item.customerId)!.email);
        if (r) {
          await this.deps.repo.succeed(
            item,
            { hubspotId: r.id, result: r.isNew ? 'created' : 'updated' },
            this.now(),
          );
          report.succeeded++;
        } else {
          await this.failItem(
            item,
            { kind: 'rejected', status: 207, message: 'HubSpot returned no result for this contact' },
            report,
          );
        }
      }
    } catch (error) {
      const failure = classifyFailure(error, this.clock());
      if (failure.kind === 'rejected' && sendable.length > 1) {
        // HubSpot validates a batch as a whole: send one by one so only the bad contact fails.
        for (const item of sendable)
          await this.sendContacts([{ ...item, attempts: item.attempts + 1 }], report);
        return;
      }
      for (const item of sendable) await this.failItem(item, failure, report, false);
      this.pauseOrContinue(failure);
    }
  }

  /** The HubSpot contact id of a customer, upserting the contact first if we have none yet. */
  private async contactIdOf(customerId: string): Promise<string | undefined> {
    const [customer] = await this.deps.repo.customers([customerId]);
    if (!customer || customer.deletedAt) return undefined;
    if (customer.hubspotContactId) return customer.hubspotContactId;
    const [result] = await this.deps.crm.upsertContacts([
      { email: customer.email, properties: contactProperties(customer) },
    ]);
    if (!result) throw Object.assign(new Error('HubSpot returned no contact'), { code: 500 });
    await this.deps.repo.setContactIds([{ customerId, contactId: result.id }]);
    return result.id;
  }

  private async sendOne(item: SyncItemRow, report: PassReport): Promise<void> {
    const skip = async () => {
      await this.deps.repo.succeed(item, { hubspotId: null, result: 'skipped' }, this.now());
      report.succeeded++;
    };
    const booking = item.bookingId ? await this.deps.repo.bookingDetail(item.bookingId) : undefined;
    if (!booking) return skip();
    try {
      if (item.kind === 'note.create') {
        const contactId = await this.contactIdOf(item.customerId);
        if (!contactId) return skip();
        const eventKey = item.eventKey!;
        await this.deps.repo.markSent([item.id], this.now());
        report.sent++;
        // Sent before: it may have been created although we never saw the answer.
        if (item.attempts > 0) {
          const known = await this.deps.repo.knownHubspotIds(item.customerId, 'note.create');
          const found = await this.deps.crm.findAssociatedByEventId('notes', contactId, eventKey, known);
          if (found) return this.done(item, found, 'adopted', report);
        }
        const event = String(item.payload.event) as BookingEventKind;
        const occurredAt = new Date(String(item.payload.occurred_at ?? item.createdAt.toISOString()));
        const id = await this.deps.crm.createNote(
          noteProperties(event, booking, occurredAt, eventKey),
          contactId,
        );
        return this.done(item, id, 'created', report);
      }
      const group = await this.deps.repo.dealBookings(booking);
      const state = dealState(group);
      const existing = group.find((b) => b.hubspotDealId)?.hubspotDealId ?? null;
      // Below the threshold, or lost before HubSpot ever heard of it: no deal to make.
      if (!existing && (state.valueCents < this.settings.dealMinValueCents || state.stage === 'closedlost'))
        return skip();
      const contactId = await this.contactIdOf(item.customerId);
      if (!contactId) return skip();
      const properties = dealProperties(group);
      await this.deps.repo.markSent([item.id], this.now());
      report.sent++;
      let dealId = existing;
      let result: 'created' | 'updated' | 'adopted' = 'updated';
      if (!dealId && item.attempts > 0) {
        const known = await this.deps.repo.knownHubspotIds(item.customerId, 'deal.sync');
        dealId =
          (await this.deps.crm.findAssociatedByEventId(
            'deals',
            contactId,
            properties.clubos_event_id!,
            known,
          )) ?? null;
        if (dealId) result = 'adopted';
      }
      if (dealId) {
        await this.deps.crm.updateDeal(dealId, {
          dealstage: properties.dealstage!,
          amount: properties.amount!,
        });
      } else {
        dealId = await this.deps.crm.createDeal(properties, contactId);
        result = 'created';
      }
      await this.deps.repo.setDealId(
        group.map((b) => b.id),
        dealId,
      );
      return this.done(item, dealId, result, report);
    } catch (error) {
      const failure = classifyFailure(error, this.clock());
      await this.failItem(item, failure, report, false);
      this.pauseOrContinue(failure);
    }
  }

  private async done(
    item: SyncItemRow,
    hubspotId: string,
    result: 'created' | 'updated' | 'adopted',
    report: PassReport,
  ): Promise<void> {
    this.pacer.markAvailable();
    await this.deps.repo.succeed(item, { hubspotId, result }, this.now());
    report.succeeded++;
  }

  private async failItem(
    item: SyncItemRow,
    failure: FailureClass,
    report: PassReport,
    pause = true,
  ): Promise<void> {
    const now = this.clock();
    this.pacer.noteError(failure.message);
    if (failure.kind === 'rejected') {
      this.deps.log.warn(
        { item: item.id, kind: item.kind, error: failure.message },
        'HubSpot rejected a sync item',
      );
      // Our custom properties were deleted in the portal: make them again before the next send.
      if (failure.message.includes('PROPERTY_DOESNT_EXIST')) this.propertiesReady = false;
      await this.deps.repo.fail(
        item.id,
        { error: failure.message, retryAt: null, counts: true, maxFailures: 1 },
        this.now(),
      );
      report.failed++;
      return;
    }
    const counts = failure.kind === 'unavailable' && failure.counts;
    const retryAt =
      failure.kind === 'rate_limited'
        ? now + failure.retryAfterMs
        : now + backoffMs(item.failures + 1, this.random, this.backoff);
    await this.deps.repo.fail(
      item.id,
      {
        error: failure.message,
        retryAt: new Date(retryAt),
        counts,
        // A 429 was refused unprocessed: it is not an attempt that could have reached HubSpot.
        uncountAttempt: failure.kind === 'rate_limited',
        maxFailures: this.settings.maxFailures,
      },
      this.now(),
    );
    if (counts && item.failures + 1 >= this.settings.maxFailures) report.failed++;
    if (pause) this.pauseOrContinue(failure);
  }

  /** A per-item rejection lets the pass go on; anything else pauses the sync and ends the pass. */
  private pauseOrContinue(failure: FailureClass): void {
    if (failure.kind === 'rejected') return;
    this.pacer.pauseFor(failure);
    throw new Interrupt(failure.kind);
  }
}
