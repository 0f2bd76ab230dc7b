import { createHmac, randomUUID } from 'node:crypto';
import { FormPoster } from './twilio.http-post.js';

/** Form parameters of a webhook; a repeated name carries every value. */
export type WebhookParams = Record<string, string | string[]>;

/**
 * `X-Twilio-Signature`: HMAC-SHA1 keyed with the account's Auth Token over the exact URL called
 * (query included) followed by each POST parameter, sorted by name, as name then value with no
 * separator (a repeated name: each distinct value, sorted), Base64. The same computation as
 * `twilio.getExpectedTwilioSignature`, which our tests check it against.
 */
export function signTwilioRequest(authToken: string, url: string, params: WebhookParams): string {
  let data = url;
  for (const name of Object.keys(params).sort()) {
    const value = params[name] as string | string[];
    if (Array.isArray(value)) for (const v of [...new Set(value)].sort()) data += name + v;
    else data += name + value;
  }
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf-8')).digest('base64');
}

export interface WebhookDelivery {
  kind: 'status_callback' | 'inbound';
  url: string;
  params: WebhookParams;
  /** HTTP status of our answer, or null when the request failed (see `error`). */
  status: number | null;
  error: string | null;
  /** What our endpoint answered (TwiML for inbound messages). */
  responseBody: string;
  contentType: string | null;
  at: number;
}

/** Twilio gives a webhook 15 s before it counts the request as failed (error 11200). */
export const WEBHOOK_TIMEOUT_MS = 15_000;

function formBody(params: WebhookParams): string {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (Array.isArray(value)) for (const v of value) body.append(name, v);
    else body.append(name, value);
  }
  return body.toString();
}

/** Webhooks in flight at once; more wait their turn, so a burst does not flood the receiver. */
export const WEBHOOK_CONCURRENCY = 32;

/**
 * Posts signed webhooks and remembers each delivery. A failed delivery is recorded and not
 * retried (Twilio's retry of messaging webhooks is not documented; our cloud must not rely on one).
 */
export class WebhookSender {
  readonly deliveries: WebhookDelivery[] = [];
  private pending = new Set<Promise<unknown>>();
  private running = 0;
  private waiting: Array<() => void> = [];
  private readonly poster = new FormPoster();

  constructor(
    private readonly authToken: () => string,
    private readonly now: () => number,
    private readonly timeoutMs = WEBHOOK_TIMEOUT_MS,
  ) {}

  post(kind: WebhookDelivery['kind'], url: string, params: WebhookParams): Promise<WebhookDelivery> {
    const delivery = this.deliver(kind, url, params);
    this.pending.add(delivery);
    void delivery.finally(() => this.pending.delete(delivery));
    return delivery;
  }

  /** Resolves once no webhook is in flight. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  get inFlight(): number {
    return this.pending.size;
  }

  clear(): void {
    this.deliveries.length = 0;
  }

  /** Drops idle keep-alive sockets (the simulator is closing). */
  close(): void {
    this.poster.close();
  }

  private async turn(): Promise<void> {
    if (this.running < WEBHOOK_CONCURRENCY) {
      this.running += 1;
      return;
    }
    // The finishing delivery hands its slot over: `running` stays the same.
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running -= 1;
  }

  private async deliver(
    kind: WebhookDelivery['kind'],
    url: string,
    params: WebhookParams,
  ): Promise<WebhookDelivery> {
    const record: WebhookDelivery = {
      kind,
      url,
      params,
      status: null,
      error: null,
      responseBody: '',
      contentType: null,
      at: this.now(),
    };
    await this.turn();
    // The timestamp and the receiver's time budget start when the request really leaves.
    record.at = this.now();
    try {
      const answer = await this.poster.post(
        url,
        {
          'content-type': 'application/x-www-form-urlencoded',
          'user-agent': 'TwilioProxy/1.1',
          'x-twilio-signature': signTwilioRequest(this.authToken(), url, params),
          'i-twilio-idempotency-token': randomUUID(),
        },
        formBody(params),
        this.timeoutMs,
      );
      record.status = answer.status;
      record.contentType = answer.contentType;
      record.responseBody = answer.body;
    } catch (error) {
      record.error = error instanceof Error ? error.message : String(error);
    } finally {
      this.release();
    }
    this.deliveries.push(record);
    return record;
  }
}
