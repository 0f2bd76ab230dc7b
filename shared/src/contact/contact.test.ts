import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors/index.js';
import { checkContact, normaliseEmail, normalisePhone } from './index.js';

describe('normalisePhone', () => {
  it('reads national numbers in the default region and keeps international ones', () => {
    expect(normalisePhone('(416) 555-0123', 'CA')).toEqual({ ok: true, e164: '+14165550123' });
    expect(normalisePhone('416.555.0123', 'US')).toEqual({ ok: true, e164: '+14165550123' });
    expect(normalisePhone('+44 20 7946 0958', 'CA')).toEqual({ ok: true, e164: '+442079460958' });
    expect(normalisePhone('020 7946 0958', 'GB')).toEqual({ ok: true, e164: '+442079460958' });
  });

  it('refuses letters, wrong lengths and numbers no plan has', () => {
    expect(normalisePhone('call me', 'CA').ok).toBe(false);
    expect(normalisePhone('12345', 'CA').ok).toBe(false);
    expect(normalisePhone('+1 416 555 01234', 'CA').ok).toBe(false);
    expect(normalisePhone('+999 1234 5678', 'CA').ok).toBe(false);
  });
});

describe('normaliseEmail', () => {
  it('keeps a usual address and lower-cases its domain', () => {
    expect(normaliseEmail(' Ada.Lovelace+golf@Example.COM ')).toEqual({
      ok: true,
      email: 'Ada.Lovelace+golf@example.com',
    });
  });

  it.each([
    'ada@example',
    'ada@@example.com',
    'ada..l@example.com',
    '.ada@example.com',
    'ada.@example.com',
    'ada@-example.com',
    'ada@example.c0m',
    'ada lovelace@example.com',
    'ada@exa_mple.com',
  ])('refuses %s', (address) => {
    expect(normaliseEmail(address).ok).toBe(false);
  });
});

describe('checkContact', () => {
  it('normalises both, or throws a 400 naming the bad field', () => {
    expect(checkContact({ email: 'a@b.co', phone: '416 555 0123' }, { region: 'CA' })).toEqual({
      email: 'a@b.co',
      phone: '+14165550123',
    });
    expect(checkContact({ phone: '' }, { region: 'CA' })).toEqual({ email: null, phone: null });
    try {
      checkContact({ email: 'a@b.co', phone: '555' }, { region: 'CA', prefix: 'customer' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).field).toBe('customer.phone');
      expect((error as DomainError).message).toMatch(/^customer\.phone /);
    }
  });
});
