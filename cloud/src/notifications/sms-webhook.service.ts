import { badRequest, forbidden } from '@clubos/shared/errors';
import { DeliveryStatusWriter } from './delivery-status.writer.js';
import type { NotificationRepository } from './notification.repository.js';
import type { SmsOptOutRepository } from './sms-opt-out.repository.js';
import { validTwilioSignature } from './twilio.client.js';

/** Carrier opt-out and opt-in keywords (one word, any case), as Twilio and US carriers handle them. */
const STOP_WORDS = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT']);
const START_WORDS = new Set(['START', 'YES', 'UNSTOP']);
/**
 * Statuses that only say a text is still on its way (the row already says so since Twilio took it):
 * their callback costs the signature check and no write. `sent` and the final states are kept.
 */
const ON_ITS_WAY = new Set(['accepted', 'scheduled', 'queued', 'sending']);

export type InboundResult = { action: 'opted_out' | 'opted_in' | 'ignored'; from: string };

/**
 * What Twilio tells us: delivery status callbacks and texts to our number. Every request is checked
 * against `X-Twilio-Signature` (the SDK's `validateRequest`, over the URL Twilio called as
 * `PUBLIC_URL` + path) before anything is read; a forged one changes nothing.
 */
export class SmsWebhookService {
  private readonly deliveries: DeliveryStatusWriter;

  constructor(
    repo: NotificationRepository,
    private readonly optOuts: SmsOptOutRepository,
    /** Undefined when SMS is off: every webhook is refused. */
    private readonly authToken: string | undefined,
    private readonly publicUrl: string,
  ) {
    this.deliveries = new DeliveryStatusWriter(repo);
  }

  verify(signature: string | undefined, pathAndQuery: string, params: Record<string, string>): void {
    const ok =
      this.authToken !== undefined &&
      validTwilioSignature(this.authToken, signature, `${this.publicUrl}${pathAndQuery}`, params);
    if (!ok) throw forbidden('X-Twilio-Signature does not match this request');
  }

  /** A status callback: the SMS's delivery state; unknown SIDs (not ours) are acknowledged and ignored. */
  async status(params: Record<string, string>): Promise<{ updated: boolean }> {
    const sid = params.MessageSid;
    const status = params.MessageStatus ?? params.SmsStatus;
    if (!sid) throw badRequest('MessageSid', 'MessageSid is required');
    if (!status) throw badRequest('MessageStatus', 'MessageStatus is required');
    if (ON_ITS_WAY.has(status)) return { updated: false };
    const error = params.ErrorCode ? `error ${params.ErrorCode}` : null;
    return { updated: await this.deliveries.record({ sid, status, error }) };
  }

  /** A text to our number: STOP-like words opt the number out of our SMS, START-like back in. */
  async inbound(params: Record<string, string>): Promise<InboundResult> {
    const from = params.From;
    if (!from) throw badRequest('From', 'From is required');
    const word = (params.Body ?? '').trim().toUpperCase();
    // Twilio names the keyword it acted on (Advanced Opt-Out); our own list covers the rest.
    const type = (params.OptOutType ?? '').toUpperCase();
    if (type === 'STOP' || STOP_WORDS.has(word)) {
      await this.optOuts.optOut(from, word || type);
      return { action: 'opted_out', from };
    }
    if (type === 'START' || START_WORDS.has(word)) {
      await this.optOuts.optIn(from);
      return { action: 'opted_in', from };
    }
    return { action: 'ignored', from };
  }
}
