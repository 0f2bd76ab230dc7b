import type { HubspotCrmClient } from './hubspot-crm.client.js';
import { contactProperties } from './hubspot-payloads.js';
import { classifyFailure } from './hubspot-retry.policy.js';
import type { ItemOutcomes, PassReport } from './hubspot-sync.outcomes.js';
import type { SyncPacer } from './hubspot-sync.pacer.js';
import type { HubspotSyncRepository, SyncItemRow } from './hubspot-sync.repository.js';

export interface ContactSenderDeps {
  repo: Pick<HubspotSyncRepository, 'customers' | 'markSent' | 'setContactIds'>;
  crm: Pick<HubspotCrmClient, 'upsertContacts'>;
  pacer: SyncPacer;
  outcomes: ItemOutcomes;
  clock: () => number;
}

/**
 * `contact.upsert` items, sent as one batch upsert by email (≤ 100 per call): idempotent by
 * construction, never search-then-create. The contact id HubSpot returns is kept on the customer
 * for the notes and deals that associate with it.
 */
export class ContactSender {
  constructor(private readonly deps: ContactSenderDeps) {}

  private now(): Date {
    return new Date(this.deps.clock());
  }

  async sendBatch(items: SyncItemRow[], report: PassReport): Promise<void> {
    const { repo, outcomes } = this.deps;
    const facts = new Map((await repo.customers(items.map((i) => i.customerId))).map((c) => [c.id, c]));
    const sendable: SyncItemRow[] = [];
    for (const item of items) {
      const customer = facts.get(item.customerId);
      // An erased customer (GDPR) is not sent again.
      if (!customer || customer.deletedAt) await outcomes.skip(item, report);
      else sendable.push(item);
    }
    if (sendable.length === 0) return;
    await repo.markSent(
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
      this.deps.pacer.markAvailable();
      const byEmail = new Map(results.map((r) => [r.email, r]));
      await repo.setContactIds(
        sendable.flatMap((i) => {
          const r = byEmail.get(facts.get(i.customerId)!.email);
          return r ? [{ customerId: i.customerId, contactId: r.id }] : [];
        }),
      );
      for (const item of sendable) {
        const r = byEmail.get(facts.get(item.customerId)!.email);
        if (r)
          await outcomes.done(item, { hubspotId: r.id, result: r.isNew ? 'created' : 'updated' }, report);
        else {
          await outcomes.fail(
            item,
            { kind: 'rejected', status: 207, message: 'HubSpot returned no result for this contact' },
            report,
          );
        }
      }
    } catch (error) {
      const failure = classifyFailure(error, this.deps.clock());
      if (failure.kind === 'rejected' && sendable.length > 1) {
        // HubSpot validates a batch as a whole: send one by one so only the bad contact fails.
        for (const item of sendable) await this.sendBatch([{ ...item, attempts: item.attempts + 1 }], report);
        return;
      }
      for (const item of sendable) await outcomes.fail(item, failure, report, false);
      outcomes.pauseOrContinue(failure);
    }
  }

  /** The HubSpot contact id of a customer, upserting the contact first if we have none yet. */
  async contactIdOf(customerId: string): Promise<string | undefined> {
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
}
