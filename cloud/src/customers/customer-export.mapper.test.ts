import { describe, expect, it } from 'vitest';
import { exportRecord } from './customer-export.mapper.js';

describe('exportRecord', () => {
  it('turns camelCase columns into snake_case and instants into ISO strings', () => {
    const at = new Date('2025-08-03T14:00:00Z');
    expect(exportRecord({ firstName: 'Jo', createdAt: at, display_name: null, tags: ['a'] })).toEqual({
      first_name: 'Jo',
      created_at: '2025-08-03T14:00:00.000Z',
      display_name: null,
      tags: ['a'],
    });
  });
});
