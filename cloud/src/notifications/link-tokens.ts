import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a link in an email may do without logging in. */
export type LinkPurpose = 'unsubscribe' | 'waitlist-accept' | 'preferences' | 'receipt' | 'extend';

/**
 * Signed values for links in emails: the value (an address, an offer) and its HMAC, so a link
 * works without logging in and nobody can make one for a value they were not mailed.
 */
export class LinkTokens {
  constructor(private readonly secret: string) {}

  private mac(purpose: LinkPurpose, value: string): string {
    return createHmac('sha256', `${purpose}:${this.secret}`).update(value).digest('base64url');
  }

  sign(purpose: LinkPurpose, value: string): string {
    return `${Buffer.from(value).toString('base64url')}.${this.mac(purpose, value)}`;
  }

  /** The value the token was made for, or undefined when it is not one of ours for `purpose`. */
  verify(purpose: LinkPurpose, token: string): string | undefined {
    const [encoded, mac] = token.split('.');
    if (!encoded || !mac) return undefined;
    const value = Buffer.from(encoded, 'base64url').toString('utf8');
    const expected = Buffer.from(this.mac(purpose, value));
    const given = Buffer.from(mac);
    return given.length === expected.length && timingSafeEqual(given, expected) ? value : undefined;
  }
}
