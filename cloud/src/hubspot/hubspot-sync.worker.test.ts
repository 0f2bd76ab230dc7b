import type { FastifyBaseLogger } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { HubspotOutboxRepository } from './hubspot-outbox.repository.js';
import type { HubspotSyncRepository } from './hubspot-sync.repository.js';
import { HubspotSyncWorker } from './hubspot-sync.worker.js';

const silent = { warn: () => {}, info: () => {}, error: () => {} } as unknown as FastifyBaseLogger;

describe('HubspotSyncWorker without its custom properties', () => {
  it('backs off when HubSpot refuses to create them instead of asking again every poll', async () => {
    let now = 5_000_000;
    let asked = 0;
    const rejected = Object.assign(new Error('HTTP-Code: 400'), {
      code: 400,
      body: { category: 'VALIDATION_ERROR', message: 'groupName contactinformation does not exist' },
      headers: {},
    });
    const worker = new HubspotSyncWorker(
      {
        repo: {} as HubspotSyncRepository,
        outbox: { fanOut: async () => 0 } as Pick<HubspotOutboxRepository, 'fanOut'>,
        crm: {
          propertyNames: async () => {
            asked++;
            return new Set<string>();
          },
          createProperty: async () => {
            throw rejected;
          },
          upsertContacts: async () => [],
          createNote: async () => '1',
          createDeal: async () => '1',
          updateDeal: async () => {},
          findAssociatedByEventId: async () => undefined,
        },
        log: silent,
        clock: () => now,
        random: () => 0,
      },
      {
        dealMinValueCents: 0,
        maxFailures: 3,
        pollIntervalMs: 1_000,
        backoff: { baseMs: 2_000, capMs: 60_000 },
      },
    );
    expect((await worker.runOnce()).interrupted).toBe('rejected');
    expect(worker.health()).toMatchObject({
      propertiesReady: false,
      lastError: expect.stringContaining('VALIDATION_ERROR'),
    });
    expect((await worker.runOnce()).interrupted).toBe('paused');
    expect(asked).toBe(1);
    now += 1_000; // the first backoff with no jitter: half of 2 s
    expect((await worker.runOnce()).interrupted).toBe('rejected');
    expect(asked).toBe(2);
  });
});
