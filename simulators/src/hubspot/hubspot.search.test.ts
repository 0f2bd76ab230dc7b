import { describe, expect, it } from 'vitest';
import { HubspotApiError } from './hubspot.errors.js';
import { runSearch, type SearchHit, type SearchRequest } from './hubspot.search.js';

const rows: SearchHit[] = [
  {
    id: '1',
    properties: { email: 'ann@example.com', total_bookings: '3', createdate: '2026-11-01T10:00:00.000Z' },
  },
  { id: '2', properties: { email: 'bob@example.com', total_bookings: '12', firstname: 'Bob' } },
  {
    id: '3',
    properties: { email: 'cy@other.org', total_bookings: '7', createdate: '2026-11-20T10:00:00.000Z' },
  },
];
const ids = (request: SearchRequest) => runSearch(rows, request).page.map((r) => r.id);
const where = (...filters: NonNullable<SearchRequest['filterGroups']>[number]['filters']) => ({
  filterGroups: [{ filters }],
});

describe('runSearch', () => {
  it('EQ ignores case; NEQ, IN and NOT_IN', () => {
    expect(ids(where({ propertyName: 'email', operator: 'EQ', value: 'ANN@example.com' }))).toEqual(['1']);
    expect(ids(where({ propertyName: 'email', operator: 'NEQ', value: 'ann@example.com' }))).toEqual([
      '2',
      '3',
    ]);
    expect(ids(where({ propertyName: 'total_bookings', operator: 'IN', values: ['3', '7'] }))).toEqual([
      '1',
      '3',
    ]);
    expect(ids(where({ propertyName: 'total_bookings', operator: 'NOT_IN', values: ['3'] }))).toEqual([
      '2',
      '3',
    ]);
  });

  it('compares numbers numerically and dates as instants', () => {
    expect(ids(where({ propertyName: 'total_bookings', operator: 'GT', value: 5 }))).toEqual(['2', '3']);
    expect(
      ids(where({ propertyName: 'total_bookings', operator: 'BETWEEN', value: 4, highValue: 10 })),
    ).toEqual(['3']);
    expect(ids(where({ propertyName: 'createdate', operator: 'LT', value: '2026-11-10T00:00:00Z' }))).toEqual(
      ['1'],
    );
  });

  it('HAS_PROPERTY, NOT_HAS_PROPERTY and CONTAINS_TOKEN', () => {
    expect(ids(where({ propertyName: 'firstname', operator: 'HAS_PROPERTY' }))).toEqual(['2']);
    expect(ids(where({ propertyName: 'firstname', operator: 'NOT_HAS_PROPERTY' }))).toEqual(['1', '3']);
    expect(ids(where({ propertyName: 'email', operator: 'CONTAINS_TOKEN', value: '*other*' }))).toEqual([
      '3',
    ]);
    expect(ids({ query: 'BOB' })).toEqual(['2']);
  });

  it('ANDs filters in a group and ORs groups', () => {
    expect(
      ids(
        where(
          { propertyName: 'total_bookings', operator: 'GTE', value: 3 },
          { propertyName: 'email', operator: 'CONTAINS_TOKEN', value: 'example' },
        ),
      ),
    ).toEqual(['1', '2']);
    expect(
      ids({
        filterGroups: [
          { filters: [{ propertyName: 'email', operator: 'EQ', value: 'ann@example.com' }] },
          { filters: [{ propertyName: 'email', operator: 'EQ', value: 'cy@other.org' }] },
        ],
      }),
    ).toEqual(['1', '3']);
  });

  it('sorts, pages and refuses a filter that lacks its value', () => {
    expect(ids({ sorts: [{ propertyName: 'total_bookings', direction: 'DESCENDING' }] })).toEqual([
      '2',
      '3',
      '1',
    ]);
    expect(runSearch(rows, { limit: 2, after: '2' })).toEqual({ total: 3, page: [rows[2]], nextAfter: null });
    expect(runSearch(rows, { limit: 1 }).nextAfter).toBe('1');
    expect(() => ids(where({ propertyName: 'email', operator: 'EQ' }))).toThrow(HubspotApiError);
    expect(() => ids({ after: 'abc' })).toThrow(/paging token/);
  });
});
