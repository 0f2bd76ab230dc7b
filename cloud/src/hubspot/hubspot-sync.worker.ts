import type { FastifyBaseLogger } from 'fastify';
import { ContactSender } from './hubspot-contacts.sender.js';
import type { HubspotCrmClient } from './hubspot-crm.client.js';
import { DealSender } from './hubspot-deals.sender.js';
import { NoteSender } from './hubspot-notes.sender.js';
import type { HubspotOutboxRepository } from './hubspot-outbox.repository.js';
import { CustomPropertiesSetup } from './hubspot-properties.setup.js';
import { type BackoffSettings, DEFAULT_BACKOFF } from './hubspot-retry.policy.js';
import { ItemOutcomes, type PassReport } from './hubspot-sync.outcomes.js';
import { SyncPacer, type WorkerHealth } from './hubspot-sync.pacer.js';
import { runSyncPass, type SyncPassDeps } from './hubspot-sync.pass.js';
import type { HubspotSyncRepository } from './hubspot-sync.repository.js';

export type { PassReport } from './hubspot-sync.outcomes.js';

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

/**
 * Sends the HubSpot outbox (docs/decisions/009-external-systems-never-block.md): a pass
 * (hubspot-sync.pass.ts) every poll interval, or later while HubSpot has paused the sync
 * (hubspot-sync.pacer.ts). Bookings never wait: they only wrote an outbox row. This class wires the pass's
 * parts and owns its timer.
 */
export class HubspotSyncWorker {
  private readonly clock: () => number;
  private readonly pacer: SyncPacer;
  private readonly properties: CustomPropertiesSetup;
  private readonly passDeps: SyncPassDeps;
  private running: Promise<PassReport> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;

  constructor(
    private readonly deps: HubspotWorkerDeps,
    private readonly settings: HubspotWorkerSettings,
  ) {
    const { repo, crm, log } = deps;
    const clock = deps.clock ?? Date.now;
    const random = deps.random ?? Math.random;
    const backoff = settings.backoff ?? DEFAULT_BACKOFF;
    const pacer = new SyncPacer(log, clock, random, backoff);
    const properties = new CustomPropertiesSetup(crm, pacer, clock);
    const outcomes = new ItemOutcomes({
      repo,
      pacer,
      log,
      clock,
      random,
      backoff,
      maxFailures: settings.maxFailures,
      propertyMissing: () => properties.invalidate(),
    });
    const contacts = new ContactSender({ repo, crm, pacer, outcomes, clock });
    this.clock = clock;
    this.pacer = pacer;
    this.properties = properties;
    this.passDeps = {
      repo,
      outbox: deps.outbox,
      log,
      pacer,
      properties,
      contacts,
      notes: new NoteSender({ repo, crm, contacts, clock }),
      deals: new DealSender({
        repo,
        crm,
        contacts,
        clock,
        dealMinValueCents: settings.dealMinValueCents,
      }),
      outcomes,
      clock,
      dealMinValueCents: settings.dealMinValueCents,
      leaseMs: settings.leaseMs ?? 10 * 60_000,
    };
  }

  health(): WorkerHealth & { propertiesReady: boolean } {
    return { ...this.pacer.health(), propertiesReady: this.properties.isReady() };
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
    this.running = runSyncPass(this.passDeps);
    try {
      return await this.running;
    } finally {
      this.running = null;
    }
  }
}
