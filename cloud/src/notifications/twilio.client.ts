import { Agent } from 'node:http';
import twilio, { type Twilio } from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';
import { type DependencyBreaker, FailedAnswer } from '../common/circuit-breaker.js';
import type { SmsConfig } from '../config.js';

/**
 * The SDK has no base-URL option (it always calls https://api.twilio.com); its documented hook is a
 * custom `httpClient`. This one swaps the origin for `TWILIO_API_BASE_URL` (the simulator) and
 * otherwise does what the SDK does: auth, form encoding, timeout, `autoRetry` on 429. Plain http
 * gets the socket bounds the SDK gives its https agent, so a burst does not open thousands.
 */
function originRewritingClient(
  baseUrl: string | undefined,
  options: RequestClient.RequestClientOptions,
  breaker: DependencyBreaker | undefined,
): RequestClient {
  const target = baseUrl ? new URL(baseUrl) : undefined;
  const prefix = target?.pathname.replace(/\/$/, '') ?? '';
  class OriginRewritingClient extends twilio.RequestClient {
    constructor(opts: RequestClient.RequestClientOptions) {
      super(opts);
      if (!target) return;
      this.axios.defaults.httpAgent = new Agent({
        keepAlive: opts.keepAlive !== false,
        maxSockets: opts.maxSockets ?? 20,
        maxTotalSockets: opts.maxTotalSockets ?? 100,
        // Every socket may stay open between bursts: closing 15 of 20 after each one meant a
        // reconnect per socket at the next (a due minute of reminders comes in bursts).
        maxFreeSockets: opts.maxFreeSockets ?? opts.maxSockets ?? 20,
      });
    }

    override request<TData>(opts: RequestClient.RequestOptions<TData>) {
      const original = new URL(opts.uri);
      const send = () =>
        super.request(
          target ? { ...opts, uri: `${target.origin}${prefix}${original.pathname}${original.search}` } : opts,
        );
      if (!breaker) return send();
      // A 5xx comes back as a response (the SDK turns it into an error later): count it, return it.
      return breaker.call(async () => {
        const response = await send();
        if (response.statusCode >= 500) throw new FailedAnswer(response);
        return response;
      });
    }
  }
  return new OriginRewritingClient(options);
}

/**
 * The official SDK client, pointed at the simulator when `TWILIO_API_BASE_URL` is set, its calls
 * through `breaker` (common/circuit-breaker.ts) when given.
 */
export function twilioClient(config: SmsConfig, breaker?: DependencyBreaker): Twilio {
  // With a custom httpClient the SDK builds none of its own, so timeout and retries go to ours.
  const options: RequestClient.RequestClientOptions = {
    timeout: config.timeoutMs,
    autoRetry: true,
    maxRetries: 2,
    keepAlive: true,
  };
  return config.apiBaseUrl || breaker
    ? twilio(config.accountSid, config.authToken, {
        httpClient: originRewritingClient(config.apiBaseUrl, options, breaker),
      })
    : twilio(config.accountSid, config.authToken, options);
}

/** `X-Twilio-Signature` over the URL Twilio called and the form parameters (the SDK's own check). */
export function validTwilioSignature(
  authToken: string,
  signature: string | undefined,
  url: string,
  params: Record<string, string>,
): boolean {
  if (!signature) return false;
  return twilio.validateRequest(authToken, signature, url, params);
}
