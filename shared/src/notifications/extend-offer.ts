/**
 * The "10 minutes left — extend?" offer, the same on both sides: the cloud texts it (and extends
 * by the link), the edge shows it on the bay PC (docs/decisions/011-notifications-outbox.md).
 */
export const EXTEND_OFFER = {
  /** How long before the end the offer is made. */
  leadMinutes: 10,
  /** What one tap adds: the next slot on the bay. */
  minutes: 30,
} as const;
