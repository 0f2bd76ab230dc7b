import { CUSTOM_PROPERTIES, type HubspotCrmClient } from './hubspot-crm.client.js';
import { classifyFailure } from './hubspot-retry.policy.js';
import { Interrupt } from './hubspot-sync.outcomes.js';
import type { SyncPacer } from './hubspot-sync.pacer.js';

/**
 * Our custom properties (the contact counters, `clubos_event_id` on notes and deals) must exist
 * in the portal before anything is sent. Checked on the first pass, and again after HubSpot says
 * one does not exist.
 */
export class CustomPropertiesSetup {
  private ready = false;

  constructor(
    private readonly crm: Pick<HubspotCrmClient, 'propertyNames' | 'createProperty'>,
    private readonly pacer: SyncPacer,
    private readonly clock: () => number,
  ) {}

  isReady(): boolean {
    return this.ready;
  }

  /** Creates the missing properties, or pauses the sync and interrupts the pass. */
  async ensure(): Promise<void> {
    if (this.ready) return;
    try {
      for (const objectType of ['contacts', 'notes', 'deals'] as const) {
        const existing = await this.crm.propertyNames(objectType);
        for (const spec of CUSTOM_PROPERTIES.filter((p) => p.objectType === objectType)) {
          if (!existing.has(spec.create.name)) await this.crm.createProperty(spec);
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
    this.ready = true;
    this.pacer.markAvailable();
  }

  /** One was deleted in the portal: the next pass makes them again before it sends anything. */
  invalidate(): void {
    this.ready = false;
  }
}
