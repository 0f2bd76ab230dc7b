import { describe, expect, it } from 'vitest';
import { type HubspotApiError, RATE_LIMIT_MESSAGES } from './hubspot.errors.js';
import { HubspotFaults } from './hubspot.faults.js';
import {
  defaultPropertyCatalog,
  resolveObjectType,
  validatePropertyValues,
} from './hubspot.property-catalog.js';
import { HubspotRateLimiter } from './hubspot.rate-limiter.js';

const catalog = defaultPropertyCatalog();
const problems = (input: Record<string, unknown>, type: 'contacts' | 'deals' | 'notes' = 'contacts') => {
  try {
    validatePropertyValues(catalog[type], type, input, 'create');
    return [];
  } catch (error) {
    return ((error as HubspotApiError).extra.errors ?? []).map((e) => e.code);
  }
};

describe('property values', () => {
  it('normalises numbers and booleans to strings and lets an empty string through (it clears)', () => {
    expect(validatePropertyValues(catalog.deals, 'deals', { amount: 45.5, dealname: '' }, 'create')).toEqual({
      amount: '45.5',
      dealname: '',
    });
  });

  it('reports every bad property with HubSpot’s codes', () => {
    expect(problems({ email: 'not-an-email' })).toEqual(['INVALID_EMAIL']);
    expect(problems({ hs_object_id: '5' })).toEqual(['READ_ONLY_VALUE']);
    expect(problems({ lifecyclestage: 'friend', nope: 'x' })).toEqual([
      'INVALID_OPTION',
      'PROPERTY_DOESNT_EXIST',
    ]);
    expect(problems({ closedate: 'tomorrow' }, 'deals')).toEqual(['INVALID_DATE']);
    expect(problems({ closedate: '1795616866291' }, 'deals')).toEqual([]);
    expect(problems({ hs_note_body: { html: true } }, 'notes')).toEqual(['INVALID_VALUE', 'REQUIRED_FIELD']);
  });

  it('resolves object type names, singulars and ids', () => {
    expect(resolveObjectType('0-1')).toBe('contacts');
    expect(resolveObjectType('Deal')).toBe('deals');
    expect(() => resolveObjectType('tickets')).toThrow('Unable to infer object type from: tickets');
  });
});

describe('rate limiter', () => {
  it('starts a new daily count at UTC midnight', () => {
    let now = Date.parse('2026-11-25T23:59:59.000Z');
    const limiter = new HubspotRateLimiter({ dailyMax: 2 }, () => now);
    limiter.admit(false);
    limiter.admit(false);
    expect(limiter.admit(false).error?.message).toBe(RATE_LIMIT_MESSAGES.DAILY);
    now = Date.parse('2026-11-26T00:00:11.000Z');
    expect(limiter.admit(false).error).toBeUndefined();
  });
});

describe('faults', () => {
  it('a slow fault adds its delay to a failing one, and counts run out', () => {
    const faults = new HubspotFaults();
    faults.add({ kind: 'slow', delayMs: 50, count: 2 });
    faults.add({ kind: 'server_error', status: 502, count: 1 });
    const first = faults.next();
    expect(first.delayMs).toBe(50);
    expect((first.action as HubspotApiError).statusCode).toBe(502);
    expect(faults.next()).toEqual({ delayMs: 50, action: null });
    expect(faults.next()).toEqual({ delayMs: 0, action: null });
    expect(faults.list()).toEqual([]);
  });
});
