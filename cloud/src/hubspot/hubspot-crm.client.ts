import http from 'node:http';
import https from 'node:https';
import { Client } from '@hubspot/api-client';
import type { AssociationSpec } from '@hubspot/api-client/lib/codegen/crm/objects/notes/models/AssociationSpec.js';
import type { PropertyCreate } from '@hubspot/api-client/lib/codegen/crm/properties/models/PropertyCreate.js';
import type { DependencyBreaker } from '../common/circuit-breaker.js';

/**
 * The few HubSpot calls the sync makes, through the official SDK pointed at `baseUrl` (HubSpot,
 * or the simulator in tests and the demo). The SDK runs with `numberOfApiCallRetries: 0`: the
 * outbox is the one retry layer, so retries never multiply and Retry-After is honoured.
 */
export type CrmProperties = Record<string, string>;

export interface PropertySpec {
  objectType: 'contacts' | 'deals' | 'notes';
  create: PropertyCreate;
}

const HUBSPOT_DEFINED = 'HUBSPOT_DEFINED' as AssociationSpec['associationCategory'];
/** HubSpot-defined association type ids (HubSpot's associations v4 reference). */
export const NOTE_TO_CONTACT = 202;
export const DEAL_TO_CONTACT = 3;

/** Our custom properties, created at start-up when missing (a 409 means it exists already). */
export const CUSTOM_PROPERTIES: PropertySpec[] = [
  {
    objectType: 'contacts',
    create: {
      name: 'total_bookings',
      label: 'Total bookings',
      type: 'number',
      fieldType: 'number',
      groupName: 'contactinformation',
    },
  },
  {
    objectType: 'contacts',
    create: {
      name: 'lifetime_value',
      label: 'Lifetime value',
      type: 'number',
      fieldType: 'number',
      groupName: 'contactinformation',
    },
  },
  {
    objectType: 'contacts',
    create: {
      name: 'last_booking_date',
      label: 'Last booking date',
      type: 'datetime',
      fieldType: 'date',
      groupName: 'contactinformation',
    },
  },
  {
    objectType: 'contacts',
    create: {
      name: 'vip_status',
      label: 'VIP',
      type: 'enumeration',
      fieldType: 'booleancheckbox',
      groupName: 'contactinformation',
      options: [
        { label: 'Yes', value: 'true', displayOrder: 0, hidden: false },
        { label: 'No', value: 'false', displayOrder: 1, hidden: false },
      ],
    },
  },
  // The key that makes a note or deal create idempotent across an ambiguous failure.
  {
    objectType: 'notes',
    create: {
      name: 'clubos_event_id',
      label: 'ClubOS event id',
      type: 'string',
      fieldType: 'text',
      groupName: 'notes',
    },
  },
  {
    objectType: 'deals',
    create: {
      name: 'clubos_event_id',
      label: 'ClubOS event id',
      type: 'string',
      fieldType: 'text',
      groupName: 'dealinformation',
    },
  },
].map((p) => ({ ...p, create: p.create as unknown as PropertyCreate })) as PropertySpec[];

export interface HubspotCrmOptions {
  accessToken: string;
  baseUrl: string;
  requestTimeoutMs: number;
  /** Fails calls fast while HubSpot keeps failing (common/circuit-breaker.ts). */
  breaker?: DependencyBreaker;
}

export interface UpsertedContact {
  id: string;
  email: string;
  isNew: boolean;
}

export class HubspotCrmClient {
  private readonly client: Client;
  private readonly agent: http.Agent;
  private readonly timeoutMs: number;
  private readonly breaker: DependencyBreaker | undefined;

  constructor(options: HubspotCrmOptions) {
    this.breaker = options.breaker;
    const agentOptions = { keepAlive: true };
    this.agent = options.baseUrl.startsWith('https:')
      ? new https.Agent(agentOptions)
      : new http.Agent(agentOptions);
    this.timeoutMs = options.requestTimeoutMs;
    this.client = new Client({
      accessToken: options.accessToken,
      basePath: options.baseUrl.replace(/\/+$/, ''),
      numberOfApiCallRetries: 0,
      httpAgent: this.agent,
    });
  }

  /**
   * node-fetch (inside the SDK) has no timeout, so a hung HubSpot would stall the worker: give up
   * after `requestTimeoutMs` and destroy the agent's sockets, which aborts the request in flight.
   * The outcome is then unknown (HubSpot may still process it): the caller treats it as ambiguous.
   */
  private call<T>(run: () => Promise<T>): Promise<T> {
    return this.breaker ? this.breaker.call(() => this.timed(run)) : this.timed(run);
  }

  private async timed<T>(run: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.agent.destroy();
        reject(
          Object.assign(new Error(`HubSpot did not answer within ${this.timeoutMs} ms`), {
            code: 'ETIMEDOUT',
          }),
        );
      }, this.timeoutMs);
    });
    try {
      return await Promise.race([run(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Names of the properties that exist on an object type. */
  async propertyNames(objectType: PropertySpec['objectType']): Promise<Set<string>> {
    const all = await this.call(() => this.client.crm.properties.coreApi.getAll(objectType));
    return new Set(all.results.map((p) => p.name));
  }

  /** Creates a property; `false` when it already exists (HubSpot answers 409). */
  async createProperty(spec: PropertySpec): Promise<boolean> {
    try {
      await this.call(() => this.client.crm.properties.coreApi.create(spec.objectType, spec.create));
      return true;
    } catch (error) {
      if ((error as { code?: unknown }).code === 409) return false;
      throw error;
    }
  }

  /** Batch upsert by email (≤ 100 inputs): never search-then-create, search lags behind writes. */
  async upsertContacts(
    inputs: Array<{ email: string; properties: CrmProperties }>,
  ): Promise<UpsertedContact[]> {
    const response = await this.call(() =>
      this.client.crm.contacts.batchApi.upsert({
        inputs: inputs.map((i) => ({ id: i.email, idProperty: 'email', properties: i.properties })),
      }),
    );
    return response.results.map((r) => ({
      id: String(r.id),
      email: String(r.properties.email ?? '').toLowerCase(),
      isNew: Boolean(r._new ?? (r as unknown as { new?: boolean }).new),
    }));
  }

  async createNote(properties: CrmProperties, contactId: string): Promise<string> {
    const note = await this.call(() =>
      this.client.crm.objects.notes.basicApi.create({
        properties,
        associations: [
          {
            to: { id: contactId },
            types: [{ associationCategory: HUBSPOT_DEFINED, associationTypeId: NOTE_TO_CONTACT }],
          },
        ],
      }),
    );
    return String(note.id);
  }

  async createDeal(properties: CrmProperties, contactId: string): Promise<string> {
    const deal = await this.call(() =>
      this.client.crm.deals.basicApi.create({
        properties,
        associations: [
          {
            to: { id: contactId },
            types: [{ associationCategory: HUBSPOT_DEFINED, associationTypeId: DEAL_TO_CONTACT }],
          },
        ],
      }),
    );
    return String(deal.id);
  }

  async updateDeal(id: string, properties: CrmProperties): Promise<void> {
    await this.call(() => this.client.crm.deals.basicApi.update(id, { properties }));
  }

  /**
   * Finds the note or deal of a contact carrying `clubos_event_id = eventId`, walking the
   * contact's associations (a strongly consistent read, unlike search) newest first and reading
   * only objects whose id we do not already know.
   */
  async findAssociatedByEventId(
    objectType: 'notes' | 'deals',
    contactId: string,
    eventId: string,
    knownIds: ReadonlySet<string>,
  ): Promise<string | undefined> {
    const ids: string[] = [];
    let after: string | undefined;
    do {
      const page = await this.call(() =>
        this.client.crm.associations.v4.basicApi.getPage('contacts', contactId, objectType, after, 500),
      );
      for (const r of page.results) ids.push(String(r.toObjectId));
      after = page.paging?.next?.after;
    } while (after);
    const unknown = ids.filter((id) => !knownIds.has(id)).sort((a, b) => Number(b) - Number(a));
    for (const id of unknown) {
      const api =
        objectType === 'notes' ? this.client.crm.objects.notes.basicApi : this.client.crm.deals.basicApi;
      const object = await this.call(() => api.getById(id, ['clubos_event_id']));
      if (object.properties.clubos_event_id === eventId) return id;
    }
    return undefined;
  }

  close(): void {
    this.agent.destroy();
  }
}
