import { type Static, Type } from '@sinclair/typebox';
import { validationError } from './hubspot.errors.js';

/**
 * The CRM search request and its filter semantics: filters inside a group are ANDed, groups are
 * ORed; EQ on text ignores case (HubSpot lower-cases emails and matches case-insensitively).
 */
const OPERATORS = [
  'EQ',
  'NEQ',
  'LT',
  'LTE',
  'GT',
  'GTE',
  'BETWEEN',
  'IN',
  'NOT_IN',
  'HAS_PROPERTY',
  'NOT_HAS_PROPERTY',
  'CONTAINS_TOKEN',
  'NOT_CONTAINS_TOKEN',
] as const;

const Scalar = Type.Union([Type.String(), Type.Number(), Type.Boolean()]);
const FilterSchema = Type.Object({
  propertyName: Type.String({ minLength: 1 }),
  operator: Type.Union(OPERATORS.map((o) => Type.Literal(o))),
  value: Type.Optional(Scalar),
  highValue: Type.Optional(Scalar),
  values: Type.Optional(Type.Array(Scalar)),
});

export const MAX_SEARCH_LIMIT = 200;

export const SearchRequestSchema = Type.Object({
  filterGroups: Type.Optional(
    Type.Array(Type.Object({ filters: Type.Array(FilterSchema, { maxItems: 6 }) }), { maxItems: 5 }),
  ),
  sorts: Type.Optional(
    Type.Array(
      Type.Union([
        Type.String(),
        Type.Object({
          propertyName: Type.String(),
          direction: Type.Optional(Type.Union([Type.Literal('ASCENDING'), Type.Literal('DESCENDING')])),
        }),
      ]),
    ),
  ),
  query: Type.Optional(Type.String()),
  properties: Type.Optional(Type.Array(Type.String())),
  limit: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_SEARCH_LIMIT })),
  after: Type.Optional(Type.Union([Type.String(), Type.Integer({ minimum: 0 })])),
});
export type SearchRequest = Static<typeof SearchRequestSchema>;
type Filter = Static<typeof FilterSchema>;

function compare(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (a !== '' && b !== '' && Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  const da = Date.parse(a);
  const db = Date.parse(b);
  if (!Number.isNaN(da) && !Number.isNaN(db)) return da - db;
  return a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0;
}

function required(filter: Filter, field: 'value' | 'highValue'): string {
  const v = filter[field];
  if (v === undefined)
    throw validationError(`filter on ${filter.propertyName} with ${filter.operator} needs ${field}`);
  return String(v);
}

function matches(properties: Record<string, string>, filter: Filter): boolean {
  const actual = properties[filter.propertyName];
  switch (filter.operator) {
    case 'HAS_PROPERTY':
      return actual !== undefined && actual !== '';
    case 'NOT_HAS_PROPERTY':
      return actual === undefined || actual === '';
    case 'IN':
    case 'NOT_IN': {
      if (!filter.values)
        throw validationError(`filter on ${filter.propertyName} with ${filter.operator} needs values`);
      const found = actual !== undefined && filter.values.some((v) => compare(actual, String(v)) === 0);
      return filter.operator === 'IN' ? found : !found;
    }
    case 'NEQ':
      return actual === undefined || compare(actual, required(filter, 'value')) !== 0;
    case 'CONTAINS_TOKEN':
    case 'NOT_CONTAINS_TOKEN': {
      const token = required(filter, 'value').toLowerCase().replaceAll('*', '');
      const found = actual?.toLowerCase().includes(token) ?? false;
      return filter.operator === 'CONTAINS_TOKEN' ? found : !found;
    }
    default: {
      if (actual === undefined) return false;
      const c = compare(actual, required(filter, 'value'));
      if (filter.operator === 'EQ') return c === 0;
      if (filter.operator === 'LT') return c < 0;
      if (filter.operator === 'LTE') return c <= 0;
      if (filter.operator === 'GT') return c > 0;
      if (filter.operator === 'GTE') return c >= 0;
      return c >= 0 && compare(actual, required(filter, 'highValue')) <= 0; // BETWEEN
    }
  }
}

export interface SearchHit {
  id: string;
  properties: Record<string, string>;
}

/** Filters, sorts and pages hits; `after` is the offset HubSpot hands back as `paging.next.after`. */
export function runSearch(
  rows: SearchHit[],
  request: SearchRequest,
): { total: number; page: SearchHit[]; nextAfter: string | null } {
  const groups = request.filterGroups ?? [];
  let hits = rows.filter((row) =>
    groups.length === 0 ? true : groups.some((g) => g.filters.every((f) => matches(row.properties, f))),
  );
  if (request.query) {
    const q = request.query.toLowerCase();
    hits = hits.filter((row) => Object.values(row.properties).some((v) => v.toLowerCase().includes(q)));
  }
  const sort = request.sorts?.[0];
  const sortName = typeof sort === 'string' ? sort : (sort?.propertyName ?? 'hs_object_id');
  const direction = typeof sort === 'object' && sort.direction === 'DESCENDING' ? -1 : 1;
  hits.sort((a, b) => direction * compare(a.properties[sortName] ?? '', b.properties[sortName] ?? ''));
  const offset = request.after === undefined ? 0 : Number(request.after);
  if (!Number.isInteger(offset) || offset < 0)
    throw validationError(`after ${JSON.stringify(request.after)} is not a valid paging token`);
  const limit = request.limit ?? 10;
  const page = hits.slice(offset, offset + limit);
  const nextAfter = offset + limit < hits.length ? String(offset + limit) : null;
  return { total: hits.length, page, nextAfter };
}
