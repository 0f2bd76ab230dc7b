import { type HubspotErrorDetail, validationError } from './hubspot.errors.js';

/**
 * Property definitions per object type, seeded with the HubSpot-defined ones our cloud touches,
 * and the value checks HubSpot applies on every write. Writing a property that does not exist is
 * a 400 in HubSpot (not silently stored), which is exactly the mistake a sync forgets when its
 * custom properties were never created, so the simulator refuses it too.
 */
export type CrmObjectType = 'contacts' | 'deals' | 'notes';
export const CRM_OBJECT_TYPES: readonly CrmObjectType[] = ['contacts', 'deals', 'notes'];

export const PROPERTY_TYPES = [
  'string',
  'number',
  'date',
  'datetime',
  'enumeration',
  'bool',
  'phone_number',
] as const;
export type PropertyType = (typeof PROPERTY_TYPES)[number];
export const FIELD_TYPES = [
  'text',
  'textarea',
  'number',
  'date',
  'select',
  'radio',
  'checkbox',
  'booleancheckbox',
  'phonenumber',
  'calculation_equation',
  'html',
  'file',
] as const;

export interface PropertyOption {
  label: string;
  value: string;
  displayOrder?: number;
  hidden?: boolean;
}

export interface PropertyDefinition {
  name: string;
  label: string;
  type: PropertyType;
  fieldType: string;
  groupName: string;
  description: string;
  options: PropertyOption[];
  hubspotDefined: boolean;
  readOnlyValue: boolean;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
}

const OBJECT_TYPE_ALIASES: Record<string, CrmObjectType> = {
  contacts: 'contacts',
  contact: 'contacts',
  '0-1': 'contacts',
  deals: 'deals',
  deal: 'deals',
  '0-3': 'deals',
  notes: 'notes',
  note: 'notes',
  '0-46': 'notes',
};

export function resolveObjectType(raw: string): CrmObjectType {
  const type = OBJECT_TYPE_ALIASES[raw.toLowerCase()];
  if (!type) throw validationError(`Unable to infer object type from: ${raw}`);
  return type;
}

const EPOCH = new Date(0).toISOString();
const option = (value: string, label = value): PropertyOption => ({ label, value });

function def(
  name: string,
  type: PropertyType,
  extra: Partial<Pick<PropertyDefinition, 'options' | 'readOnlyValue' | 'fieldType' | 'groupName'>> = {},
): PropertyDefinition {
  const fieldType =
    type === 'number' ? 'number' : type === 'enumeration' ? 'select' : type === 'datetime' ? 'date' : 'text';
  return {
    name,
    label: name,
    type,
    fieldType,
    groupName: 'hubspot_defined',
    description: '',
    options: [],
    hubspotDefined: true,
    readOnlyValue: false,
    createdAt: EPOCH,
    updatedAt: EPOCH,
    archived: false,
    ...extra,
  };
}

const LIFECYCLE_STAGES = [
  'subscriber',
  'lead',
  'marketingqualifiedlead',
  'salesqualifiedlead',
  'opportunity',
  'customer',
  'evangelist',
  'other',
];
/** Stages of the `default` sales pipeline every portal starts with. */
export const DEFAULT_DEAL_STAGES = [
  'appointmentscheduled',
  'qualifiedtobuy',
  'presentationscheduled',
  'decisionmakerboughtin',
  'contractsent',
  'closedwon',
  'closedlost',
];

export function defaultPropertyCatalog(): Record<CrmObjectType, Map<string, PropertyDefinition>> {
  const common = () => [
    def('hs_object_id', 'number', { readOnlyValue: true }),
    def('hubspot_owner_id', 'enumeration'),
  ];
  const build = (defs: PropertyDefinition[]) => new Map(defs.map((d) => [d.name, d]));
  return {
    contacts: build([
      ...common(),
      ...[
        'email',
        'firstname',
        'lastname',
        'company',
        'website',
        'jobtitle',
        'address',
        'city',
        'state',
        'zip',
        'country',
      ].map((n) => def(n, 'string', { groupName: 'contactinformation' })),
      def('phone', 'string', { groupName: 'contactinformation', fieldType: 'phonenumber' }),
      def('mobilephone', 'string', { groupName: 'contactinformation', fieldType: 'phonenumber' }),
      def('lifecyclestage', 'enumeration', { options: LIFECYCLE_STAGES.map((s) => option(s)) }),
      def('hs_lead_status', 'enumeration', {
        options: ['NEW', 'OPEN', 'IN_PROGRESS', 'CONNECTED'].map((s) => option(s)),
      }),
      def('createdate', 'datetime'),
      def('lastmodifieddate', 'datetime', { readOnlyValue: true }),
    ]),
    deals: build([
      ...common(),
      def('dealname', 'string', { groupName: 'dealinformation' }),
      def('amount', 'number', { groupName: 'dealinformation' }),
      def('pipeline', 'enumeration', { options: [option('default', 'Sales Pipeline')] }),
      def('dealstage', 'enumeration', { options: DEFAULT_DEAL_STAGES.map((s) => option(s)) }),
      def('closedate', 'datetime'),
      def('dealtype', 'enumeration', { options: [option('newbusiness'), option('existingbusiness')] }),
      def('description', 'string'),
      def('createdate', 'datetime'),
      def('hs_lastmodifieddate', 'datetime', { readOnlyValue: true }),
    ]),
    notes: build([
      ...common(),
      def('hs_timestamp', 'datetime'),
      def('hs_note_body', 'string', { fieldType: 'html' }),
      def('hs_attachment_ids', 'string'),
      def('hs_createdate', 'datetime', { readOnlyValue: true }),
      def('hs_lastmodifieddate', 'datetime', { readOnlyValue: true }),
    ]),
  };
}

/** Properties HubSpot must be given on create, per object type. */
const REQUIRED_ON_CREATE: Record<CrmObjectType, string[]> = {
  contacts: [],
  deals: [],
  notes: ['hs_timestamp'],
};

const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function valueProblem(d: PropertyDefinition, value: string): { code: string; message: string } | null {
  if (value === '') return null; // an empty string clears a property in HubSpot
  if (d.readOnlyValue)
    return {
      code: 'READ_ONLY_VALUE',
      message: `${d.name} is a read only property; its value cannot be set.`,
    };
  switch (d.type) {
    case 'number':
      return Number.isFinite(Number(value))
        ? null
        : { code: 'INVALID_DECIMAL', message: `${JSON.stringify(value)} is not a valid number.` };
    case 'date':
    case 'datetime':
      return /^\d+$/.test(value) || (ISO_DATETIME.test(value) && !Number.isNaN(Date.parse(value)))
        ? null
        : {
            code: 'INVALID_DATE',
            message: `${JSON.stringify(value)} is not a valid datetime (ISO-8601 or epoch milliseconds).`,
          };
    case 'bool':
      return value === 'true' || value === 'false'
        ? null
        : { code: 'INVALID_BOOLEAN', message: `${JSON.stringify(value)} is not true or false.` };
    case 'enumeration':
      if (d.options.length === 0 || d.options.some((o) => o.value === value)) return null;
      return {
        code: 'INVALID_OPTION',
        message: `${JSON.stringify(value)} was not one of the allowed options: [${d.options.map((o) => o.value).join(', ')}]`,
      };
    default:
      if (d.name === 'email' && !EMAIL.test(value))
        return { code: 'INVALID_EMAIL', message: `Email address ${value} is invalid` };
      return null;
  }
}

/**
 * Normalises property values to the strings HubSpot stores and checks them against the catalog.
 * Throws the 400 VALIDATION_ERROR HubSpot answers, listing every bad property.
 */
export function validatePropertyValues(
  catalog: Map<string, PropertyDefinition>,
  objectType: CrmObjectType,
  input: Record<string, unknown>,
  mode: 'create' | 'update',
): Record<string, string> {
  const out: Record<string, string> = {};
  const problems: Array<{ name: string; code: string; message: string }> = [];
  for (const [name, raw] of Object.entries(input)) {
    const d = catalog.get(name);
    if (!d) {
      problems.push({ name, code: 'PROPERTY_DOESNT_EXIST', message: `Property "${name}" does not exist` });
      continue;
    }
    if (raw !== null && typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') {
      problems.push({ name, code: 'INVALID_VALUE', message: `${name} must be a string, number or boolean` });
      continue;
    }
    const value = raw === null ? '' : String(raw);
    const problem = valueProblem(d, value);
    if (problem) problems.push({ name, ...problem });
    else out[name] = value;
  }
  if (mode === 'create') {
    for (const name of REQUIRED_ON_CREATE[objectType]) {
      if (!out[name]) problems.push({ name, code: 'REQUIRED_FIELD', message: `${name} is required` });
    }
  }
  if (problems.length > 0) {
    const legacy = problems.map((p) => ({ isValid: false, message: p.message, error: p.code, name: p.name }));
    const errors: HubspotErrorDetail[] = problems.map((p) => ({
      message: p.message,
      code: p.code,
      context: { propertyName: [p.name] },
    }));
    throw validationError(`Property values were not valid: ${JSON.stringify(legacy)}`, errors);
  }
  return out;
}
