import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The unsubscribe link's token: the address and its HMAC, so the link works without logging in
 * and nobody can unsubscribe an address they did not receive a message at.
 */
export class UnsubscribeTokens {
  constructor(private readonly secret: string) {}

  private mac(email: string): string {
    return createHmac('sha256', `unsubscribe:${this.secret}`).update(email.toLowerCase()).digest('base64url');
  }

  sign(email: string): string {
    return `${Buffer.from(email.toLowerCase()).toString('base64url')}.${this.mac(email)}`;
  }

  /** The address the token was made for, or undefined when it is not one of ours. */
  verify(token: string): string | undefined {
    const [encoded, mac] = token.split('.');
    if (!encoded || !mac) return undefined;
    const email = Buffer.from(encoded, 'base64url').toString('utf8');
    const expected = Buffer.from(this.mac(email));
    const given = Buffer.from(mac);
    return given.length === expected.length && timingSafeEqual(given, expected) ? email : undefined;
  }
}
