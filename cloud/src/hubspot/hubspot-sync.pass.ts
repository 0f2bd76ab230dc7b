import type { FastifyBaseLogger } from 'fastify';
import type { ContactSender } from './hubspot-contacts.sender.js';
import type { DealSender } from './hubspot-deals.sender.js';
import { planSyncItems } from './hubspot-fanout.plan.js';
import type { NoteSender } from './hubspot-notes.sender.js';
import type { HubspotOutboxRepository } from './hubspot-outbox.repository.js';
import type { CustomPropertiesSetup } from './hubspot-properties.setup.js';
import { classifyFailure } from './hubspot-retry.policy.js';
import { Interrupt, type ItemOutcomes, type PassReport, type Sent } from './hubspot-sync.outcomes.js';
import type { SyncPacer } from './hubspot-sync.pacer.js';
import type { HubspotSyncRepository, SyncItemRow } from './hubspot-sync.repository.js';

const CONTACT_BATCH = 100; // HubSpot's batch upsert limit
const CREATE_CHUNK = 25;
const MAX_ITEMS_PER_PASS = 2_000;

export interface SyncPassDeps {
  repo: Pick<HubspotSyncRepository, 'claim' | 'release' | 'bookingDetail'>;
  outbox: Pick<HubspotOutboxRepository, 'fanOut'>;
  log: FastifyBaseLogger;
  pacer: SyncPacer;
  properties: CustomPropertiesSetup;
  contacts: ContactSender;
  notes: NoteSender;
  deals: DealSender;
  outcomes: ItemOutcomes;
  clock: () => number;
  dealMinValueCents: number;
  /** How long a claimed item stays hidden from other passes (longer than a pass can take). */
  leaseMs: number;
}

/**
 * One pass over the outbox: fan new outbox events out into items (one per HubSpot operation),
 * batch-upsert due contacts (≤ 100 per call), then create notes and create/update deals one by
 * one, stopping once `MAX_ITEMS_PER_PASS` items were handled. Items are claimed with a lease; when HubSpot pauses the
 * sync mid-chunk, the chunk's unsent items are released to the end of the pause.
 */
export async function runSyncPass(deps: SyncPassDeps): Promise<PassReport> {
  const now = () => new Date(deps.clock());
  const report: PassReport = { events: 0, sent: 0, succeeded: 0, failed: 0, interrupted: null };
  report.events = await deps.outbox.fanOut(500, now(), (event, booking) => {
    const items = planSyncItems(event, booking, deps.dealMinValueCents);
    if (items === null) {
      deps.log.warn({ kind: event.kind, id: event.id }, 'HubSpot outbox: ignoring an event of unknown kind');
    }
    return items ?? [];
  });
  if (deps.pacer.isPaused()) return { ...report, interrupted: 'paused' };
  try {
    await deps.properties.ensure();
    let handled = 0;
    for (;;) {
      const contacts = await deps.repo.claim(['contact.upsert'], now(), CONTACT_BATCH, deps.leaseMs);
      if (contacts.length === 0) break;
      await deps.contacts.sendBatch(contacts, report);
      handled += contacts.length;
      if (handled >= MAX_ITEMS_PER_PASS) return report;
    }
    for (;;) {
      const items = await deps.repo.claim(['note.create', 'deal.sync'], now(), CREATE_CHUNK, deps.leaseMs);
      if (items.length === 0) break;
      for (const [index, item] of items.entries()) {
        try {
          await sendCreate(deps, item, report);
        } catch (error) {
          if (error instanceof Interrupt) {
            await deps.repo.release(
              items.slice(index + 1).map((i) => i.id),
              new Date(deps.pacer.resumeAt()),
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

/**
 * A note or a deal of a booking that still exists. What sending throws is the item's failure; the
 * acknowledgement is written after the `try`, so once HubSpot holds the object a database error
 * ends the pass instead of being retried as a HubSpot failure.
 */
async function sendCreate(deps: SyncPassDeps, item: SyncItemRow, report: PassReport): Promise<void> {
  const booking = item.bookingId ? await deps.repo.bookingDetail(item.bookingId) : undefined;
  if (!booking) return deps.outcomes.skip(item, report);
  let sent: Sent;
  try {
    sent =
      item.kind === 'note.create'
        ? await deps.notes.send(item, booking, report)
        : await deps.deals.send(item, booking, report);
  } catch (error) {
    const failure = classifyFailure(error, deps.clock());
    await deps.outcomes.fail(item, failure, report, false);
    return deps.outcomes.pauseOrContinue(failure);
  }
  return sent ? deps.outcomes.done(item, sent, report) : deps.outcomes.skip(item, report);
}
