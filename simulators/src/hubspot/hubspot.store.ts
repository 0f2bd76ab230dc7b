import {
  type AssociationRecord,
  associationTypeById,
  defaultAssociationType,
} from './hubspot.associations.js';
import { HubspotApiError, notFound } from './hubspot.errors.js';
import {
  type CrmObjectType,
  defaultPropertyCatalog,
  type PropertyDefinition,
  validatePropertyValues,
} from './hubspot.property-catalog.js';

/**
 * The simulated portal's data: objects, associations, property definitions, and the search
 * index. Search in HubSpot is eventually consistent, so writes reach the search index only after
 * `searchLagMs`; reads by id and the control API see writes at once.
 */
export interface CrmRecord {
  id: string;
  objectType: CrmObjectType;
  properties: Record<string, string>;
  createdAt: number;
  updatedAt: number;
  archived: boolean;
}

interface PendingIndexWrite {
  objectType: CrmObjectType;
  id: string;
  properties: Record<string, string>;
  dueAt: number;
}

export interface AssociationInput {
  to: { id: string };
  types: Array<{ associationCategory: string; associationTypeId: number }>;
}

const MODIFIED_PROPERTY: Record<CrmObjectType, string> = {
  contacts: 'lastmodifieddate',
  deals: 'hs_lastmodifieddate',
  notes: 'hs_lastmodifieddate',
};
const CREATED_PROPERTY: Record<CrmObjectType, string> = {
  contacts: 'createdate',
  deals: 'createdate',
  notes: 'hs_createdate',
};

export class HubspotStore {
  catalog = defaultPropertyCatalog();
  private objects: Record<CrmObjectType, Map<string, CrmRecord>> = emptyObjects();
  private emails = new Map<string, string>();
  private links: AssociationRecord[] = [];
  private searchIndex: Record<CrmObjectType, Map<string, Record<string, string>>> = emptyIndex();
  private pending: PendingIndexWrite[] = [];
  private nextId = 1001;

  constructor(
    private readonly clock: () => number,
    public searchLagMs: number,
  ) {}

  reset(): void {
    this.catalog = defaultPropertyCatalog();
    this.objects = emptyObjects();
    this.emails.clear();
    this.links = [];
    this.searchIndex = emptyIndex();
    this.pending = [];
  }

  list(objectType: CrmObjectType): CrmRecord[] {
    return [...this.objects[objectType].values()].map(copyRecord);
  }

  associations(): AssociationRecord[] {
    return this.links.map((a) => ({ ...a }));
  }

  get(objectType: CrmObjectType, id: string): CrmRecord {
    const record = this.objects[objectType].get(id);
    if (!record) throw notFound('Object not found.  objectId are usually numeric.', { id: [id] });
    return record;
  }

  contactIdByEmail(email: string): string | undefined {
    return this.emails.get(email.trim().toLowerCase());
  }

  /** Validates, then stores; a contact whose email exists is HubSpot's 409 naming the existing id. */
  create(
    objectType: CrmObjectType,
    input: Record<string, unknown>,
    associations: AssociationInput[] = [],
  ): CrmRecord {
    const properties = validatePropertyValues(this.catalog[objectType], objectType, input, 'create');
    if (objectType === 'contacts' && properties.email) {
      properties.email = properties.email.trim().toLowerCase();
      const existing = this.emails.get(properties.email);
      if (existing)
        throw new HubspotApiError(409, 'CONFLICT', `Contact already exists. Existing ID: ${existing}`);
    }
    const targets = associations.map((a) => this.checkAssociation(objectType, a));
    const now = this.clock();
    const id = String(this.nextId++);
    const iso = new Date(now).toISOString();
    const record: CrmRecord = {
      id,
      objectType,
      properties: {
        [CREATED_PROPERTY[objectType]]: iso,
        ...properties,
        hs_object_id: id,
        [MODIFIED_PROPERTY[objectType]]: iso,
      },
      createdAt: now,
      updatedAt: now,
      archived: false,
    };
    this.objects[objectType].set(id, record);
    if (objectType === 'contacts' && properties.email) this.emails.set(properties.email, id);
    for (const t of targets) this.link(objectType, id, t.toType, t.toId, t.typeId, t.inverseTypeId);
    this.queueIndex(record);
    return copyRecord(record);
  }

  update(objectType: CrmObjectType, id: string, input: Record<string, unknown>): CrmRecord {
    const record = this.get(objectType, id);
    const properties = validatePropertyValues(this.catalog[objectType], objectType, input, 'update');
    if (objectType === 'contacts' && properties.email !== undefined) {
      properties.email = properties.email.trim().toLowerCase();
      const owner = this.emails.get(properties.email);
      if (owner && owner !== id) {
        throw new HubspotApiError(409, 'CONFLICT', `Contact already exists. Existing ID: ${owner}`);
      }
      const previous = record.properties.email;
      if (previous) this.emails.delete(previous);
      if (properties.email) this.emails.set(properties.email, id);
    }
    const now = this.clock();
    for (const [name, value] of Object.entries(properties)) {
      if (value === '') delete record.properties[name];
      else record.properties[name] = value;
    }
    record.properties[MODIFIED_PROPERTY[objectType]] = new Date(now).toISOString();
    record.updatedAt = now;
    this.queueIndex(record);
    return copyRecord(record);
  }

  /** Default (unlabelled) association, both directions, as the v4 `associations/default` call does. */
  associateDefault(
    from: CrmObjectType,
    fromId: string,
    to: CrmObjectType,
    toId: string,
  ): AssociationRecord[] {
    const type = defaultAssociationType(from, to);
    this.get(from, fromId);
    this.get(to, toId);
    this.link(from, fromId, to, toId, type.typeId, type.inverseTypeId);
    return this.links.filter(
      (a) =>
        (a.fromObjectId === fromId && a.toObjectId === toId && a.fromObjectType === from) ||
        (a.fromObjectId === toId && a.toObjectId === fromId && a.fromObjectType === to),
    );
  }

  /** What search can see now: every write older than the lag. */
  searchable(objectType: CrmObjectType): Array<{ id: string; properties: Record<string, string> }> {
    const now = this.clock();
    const still: PendingIndexWrite[] = [];
    for (const write of this.pending) {
      if (write.dueAt <= now) this.searchIndex[write.objectType].set(write.id, write.properties);
      else still.push(write);
    }
    this.pending = still;
    return [...this.searchIndex[objectType].entries()].map(([id, properties]) => ({ id, properties }));
  }

  addProperty(objectType: CrmObjectType, definition: PropertyDefinition): void {
    this.catalog[objectType].set(definition.name, definition);
  }

  private checkAssociation(from: CrmObjectType, a: AssociationInput) {
    const first = a.types[0];
    if (!first) throw new HubspotApiError(400, 'VALIDATION_ERROR', 'associations[].types must not be empty');
    const type = associationTypeById(from, first.associationTypeId, first.associationCategory);
    if (!this.objects[type.to].has(a.to.id)) {
      throw new HubspotApiError(400, 'VALIDATION_ERROR', `${type.to} ${a.to.id} does not exist`, {
        context: { toObjectId: [a.to.id] },
      });
    }
    return { toType: type.to, toId: a.to.id, typeId: type.typeId, inverseTypeId: type.inverseTypeId };
  }

  private link(
    from: CrmObjectType,
    fromId: string,
    to: CrmObjectType,
    toId: string,
    typeId: number,
    inverseTypeId: number,
  ): void {
    const add = (a: AssociationRecord) => {
      const exists = this.links.some(
        (l) =>
          l.fromObjectType === a.fromObjectType &&
          l.fromObjectId === a.fromObjectId &&
          l.toObjectType === a.toObjectType &&
          l.toObjectId === a.toObjectId &&
          l.associationTypeId === a.associationTypeId,
      );
      if (!exists) this.links.push(a);
    };
    const category = 'HUBSPOT_DEFINED' as const;
    add({
      fromObjectType: from,
      fromObjectId: fromId,
      toObjectType: to,
      toObjectId: toId,
      associationCategory: category,
      associationTypeId: typeId,
    });
    add({
      fromObjectType: to,
      fromObjectId: toId,
      toObjectType: from,
      toObjectId: fromId,
      associationCategory: category,
      associationTypeId: inverseTypeId,
    });
  }

  private queueIndex(record: CrmRecord): void {
    this.pending.push({
      objectType: record.objectType,
      id: record.id,
      properties: { ...record.properties },
      dueAt: this.clock() + this.searchLagMs,
    });
  }
}

function emptyObjects(): Record<CrmObjectType, Map<string, CrmRecord>> {
  return { contacts: new Map(), deals: new Map(), notes: new Map() };
}

function emptyIndex(): Record<CrmObjectType, Map<string, Record<string, string>>> {
  return { contacts: new Map(), deals: new Map(), notes: new Map() };
}

function copyRecord(r: CrmRecord): CrmRecord {
  return { ...r, properties: { ...r.properties } };
}
