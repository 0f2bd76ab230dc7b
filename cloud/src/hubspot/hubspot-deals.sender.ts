import type { ContactSender } from './hubspot-contacts.sender.js';
import type { HubspotCrmClient } from './hubspot-crm.client.js';
import { dealProperties, dealState } from './hubspot-payloads.js';
import type { PassReport, Sent } from './hubspot-sync.outcomes.js';
import type { BookingDetail, HubspotSyncRepository, SyncItemRow } from './hubspot-sync.repository.js';

export interface DealSenderDeps {
  repo: Pick<HubspotSyncRepository, 'dealBookings' | 'markSent' | 'knownHubspotIds' | 'setDealId'>;
  crm: Pick<HubspotCrmClient, 'createDeal' | 'updateDeal' | 'findAssociatedByEventId'>;
  contacts: Pick<ContactSender, 'contactIdOf'>;
  clock: () => number;
  dealMinValueCents: number;
}

/**
 * `deal.sync` items: the deal is made to match the bookings now (state-based, one deal per group
 * booking), so any item of a booking brings it up to date. A new deal carries `clubos_event_id`;
 * its id is stored on the bookings and in the acknowledgement, and a create that was sent before
 * is first looked up among the contact's associations and adopted rather than made twice.
 */
export class DealSender {
  constructor(private readonly deps: DealSenderDeps) {}

  /** What HubSpot now holds; throws what sending threw. The pass records the outcome. */
  async send(item: SyncItemRow, booking: BookingDetail, report: PassReport): Promise<Sent> {
    const { repo, crm } = this.deps;
    const group = await repo.dealBookings(booking);
    const state = dealState(group);
    const existing = group.find((b) => b.hubspotDealId)?.hubspotDealId ?? null;
    // Below the threshold, or lost before HubSpot ever heard of it: no deal to make.
    if (!existing && (state.valueCents < this.deps.dealMinValueCents || state.stage === 'closedlost'))
      return null;
    const contactId = await this.deps.contacts.contactIdOf(item.customerId);
    if (!contactId) return null;
    const properties = dealProperties(group);
    await repo.markSent([item.id], new Date(this.deps.clock()));
    report.sent++;
    let dealId = existing;
    let result: 'created' | 'updated' | 'adopted' = 'updated';
    if (!dealId && item.attempts > 0) {
      const known = await repo.knownHubspotIds(item.customerId, 'deal.sync');
      dealId =
        (await crm.findAssociatedByEventId('deals', contactId, properties.clubos_event_id!, known)) ?? null;
      if (dealId) result = 'adopted';
    }
    if (dealId) {
      await crm.updateDeal(dealId, { dealstage: properties.dealstage!, amount: properties.amount! });
    } else {
      dealId = await crm.createDeal(properties, contactId);
      result = 'created';
    }
    await repo.setDealId(
      group.map((b) => b.id),
      dealId,
    );
    return { hubspotId: dealId, result };
  }
}
