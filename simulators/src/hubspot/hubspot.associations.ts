import { validationError } from './hubspot.errors.js';
import type { CrmObjectType } from './hubspot.property-catalog.js';

/**
 * HubSpot-defined association types between the objects we use. HubSpot keeps both directions
 * (deal→contact is 3, contact→deal is 4), so writing one side makes the other readable too.
 */
export interface AssociationRecord {
  fromObjectType: CrmObjectType;
  fromObjectId: string;
  toObjectType: CrmObjectType;
  toObjectId: string;
  associationCategory: 'HUBSPOT_DEFINED';
  associationTypeId: number;
}

interface AssociationTypeDefinition {
  from: CrmObjectType;
  to: CrmObjectType;
  typeId: number;
  inverseTypeId: number;
}

const DEFINED: AssociationTypeDefinition[] = [
  { from: 'deals', to: 'contacts', typeId: 3, inverseTypeId: 4 },
  { from: 'contacts', to: 'deals', typeId: 4, inverseTypeId: 3 },
  { from: 'notes', to: 'contacts', typeId: 202, inverseTypeId: 201 },
  { from: 'contacts', to: 'notes', typeId: 201, inverseTypeId: 202 },
  { from: 'notes', to: 'deals', typeId: 214, inverseTypeId: 213 },
  { from: 'deals', to: 'notes', typeId: 213, inverseTypeId: 214 },
];

/** The type HubSpot picks for a default (unlabelled) association between two object types. */
export function defaultAssociationType(from: CrmObjectType, to: CrmObjectType): AssociationTypeDefinition {
  const found = DEFINED.find((d) => d.from === from && d.to === to);
  if (!found) throw validationError(`No default association type exists between ${from} and ${to}.`);
  return found;
}

/** Checks an association type id given on create; HubSpot answers 400 for a type that does not fit. */
export function associationTypeById(
  from: CrmObjectType,
  typeId: number,
  category: string,
): AssociationTypeDefinition {
  if (category !== 'HUBSPOT_DEFINED') {
    throw validationError(
      `associationCategory ${JSON.stringify(category)} is not supported here; use HUBSPOT_DEFINED.`,
    );
  }
  const found = DEFINED.find((d) => d.from === from && d.typeId === typeId);
  if (!found) {
    const allowed = DEFINED.filter((d) => d.from === from).map((d) => `${d.typeId} (→ ${d.to})`);
    throw validationError(
      `associationTypeId ${typeId} is not a valid association type from ${from}; valid: ${allowed.join(', ')}`,
    );
  }
  return found;
}
