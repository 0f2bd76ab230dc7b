import type { ContactSender } from './hubspot-contacts.sender.js';
import type { HubspotCrmClient } from './hubspot-crm.client.js';
import type { BookingEventKind } from './hubspot-outbox.repository.js';
import { noteProperties } from './hubspot-payloads.js';
import type { PassReport, Sent } from './hubspot-sync.outcomes.js';
import type { BookingDetail, HubspotSyncRepository, SyncItemRow } from './hubspot-sync.repository.js';

export interface NoteSenderDeps {
  repo: Pick<HubspotSyncRepository, 'markSent' | 'knownHubspotIds'>;
  crm: Pick<HubspotCrmClient, 'createNote' | 'findAssociatedByEventId'>;
  contacts: Pick<ContactSender, 'contactIdOf'>;
  clock: () => number;
}

/**
 * `note.create` items: one note on the customer's contact per booking event. The note carries
 * `clubos_event_id`; its id is stored in the statement that acknowledges the item, and a note that
 * was sent before (a timeout, a reset, a crash before the acknowledgement) is first looked up among
 * the contact's associations, a strongly consistent read, before it is created again.
 */
export class NoteSender {
  constructor(private readonly deps: NoteSenderDeps) {}

  /** What HubSpot now holds; throws what sending threw. The pass records the outcome. */
  async send(item: SyncItemRow, booking: BookingDetail, report: PassReport): Promise<Sent> {
    const { repo, crm } = this.deps;
    const contactId = await this.deps.contacts.contactIdOf(item.customerId);
    if (!contactId) return null;
    const eventKey = item.eventKey!;
    await repo.markSent([item.id], new Date(this.deps.clock()));
    report.sent++;
    // Sent before: it may have been created although we never saw the answer.
    if (item.attempts > 0) {
      const known = await repo.knownHubspotIds(item.customerId, 'note.create');
      const found = await crm.findAssociatedByEventId('notes', contactId, eventKey, known);
      if (found) return { hubspotId: found, result: 'adopted' };
    }
    const event = String(item.payload.event) as BookingEventKind;
    const occurredAt = new Date(String(item.payload.occurred_at ?? item.createdAt.toISOString()));
    const id = await crm.createNote(noteProperties(event, booking, occurredAt, eventKey), contactId);
    return { hubspotId: id, result: 'created' };
  }
}
