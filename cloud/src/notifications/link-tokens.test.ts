import { describe, expect, it } from 'vitest';
import { LinkTokens } from './link-tokens.js';

describe('signed email links', () => {
  const links = new LinkTokens('x'.repeat(48));

  it('give back the value they were made for, for their purpose only', () => {
    const token = links.sign('unsubscribe', 'pat@example.com');
    expect(links.verify('unsubscribe', token)).toBe('pat@example.com');
    expect(links.verify('waitlist-accept', token)).toBeUndefined();
  });

  it('refuse a changed value, another secret and garbage', () => {
    const token = links.sign('waitlist-accept', 'entry.hold');
    const [, mac] = token.split('.');
    expect(
      links.verify('waitlist-accept', `${Buffer.from('entry.other').toString('base64url')}.${mac}`),
    ).toBeUndefined();
    expect(new LinkTokens('y'.repeat(48)).verify('waitlist-accept', token)).toBeUndefined();
    expect(links.verify('waitlist-accept', 'nonsense')).toBeUndefined();
  });
});
