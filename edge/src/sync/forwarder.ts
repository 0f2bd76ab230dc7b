import type { CloudFeed, EventAck, UploadableEvent } from './cloud-feed.js';
import type { LinkState } from './link-state.js';

/** Sends one event to the cloud now; null when the cloud cannot be reached (or answer) in time. */
export type Forwarder = (event: UploadableEvent) => Promise<EventAck | null>;

/**
 * The online path of a walk-in (docs/decisions/006-who-sells-which-time.md): the cloud is the single writer,
 * so the sale waits for its verdict, but only briefly: a kiosk customer should not stand there for a TCP
 * timeout. No answer in `timeoutMs` → the caller sells under the offline rule, with the SAME event id, so if
 * the cloud did commit, the later upload is answered `duplicate`, never a second booking.
 */
export function createForwarder(feed: CloudFeed, link: LinkState, timeoutMs: number): Forwarder {
  return async (event) => {
    try {
      const acks = await feed.upload([event], AbortSignal.timeout(timeoutMs));
      link.succeeded();
      return acks.find((a) => a.event_id === event.event_id) ?? null;
    } catch (error) {
      link.failed(error);
      return null;
    }
  };
}
