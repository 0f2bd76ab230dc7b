import { Agent } from 'node:http';
import type RequestClient from 'twilio/lib/base/RequestClient.js';

/** The constructor of `twilio.RequestClient`, passed in by the caller (see below). */
type RequestClientClass = new (opts?: RequestClient.RequestClientOptions) => RequestClient;

/**
 * The SDK has no base-URL option: every call goes to an absolute `https://<product>.twilio.com/…`
 * URI. Twilio's documented way in is a custom `httpClient`; this returns a `RequestClient` subclass
 * whose `request()` swaps that origin for `baseUrl` (path and query kept) and then does what the SDK
 * always does, so auth, form encoding, timeouts and `autoRetry` on 429 behave as against Twilio.
 *
 *   const client = twilio(sid, token, {
 *     httpClient: simulatorRequestClient(twilio.RequestClient, 'http://127.0.0.1:4040', { autoRetry: true }),
 *   });
 *
 * The class comes from the caller, so this file loads no `twilio` of its own (it is a devDependency
 * here) and the client is the caller's own SDK version. Pass retry and timeout options here: with a
 * custom httpClient the SDK no longer builds one from `twilio(…, opts)`.
 */
export function simulatorRequestClient(
  RequestClientClass: RequestClientClass,
  baseUrl: string,
  options: RequestClient.RequestClientOptions = {},
): RequestClient {
  const target = new URL(baseUrl);
  if (target.protocol !== 'http:' && target.protocol !== 'https:')
    throw new RangeError(`baseUrl: http(s) URL expected, got "${baseUrl}"`);
  const prefix = target.pathname.replace(/\/$/, '');

  class SimulatorRequestClient extends RequestClientClass {
    constructor(opts: RequestClient.RequestClientOptions) {
      super(opts);
      // The SDK bounds its sockets only for https (20 per host by default); plain http to the
      // simulator would use Node's unbounded global agent, so mirror the https limits here.
      this.axios.defaults.httpAgent = new Agent({
        keepAlive: opts.keepAlive !== false,
        maxSockets: opts.maxSockets ?? 20,
        maxTotalSockets: opts.maxTotalSockets ?? 100,
        maxFreeSockets: opts.maxFreeSockets ?? 5,
      });
    }

    override request<TData>(opts: RequestClient.RequestOptions<TData>) {
      const original = new URL(opts.uri);
      const uri = `${target.origin}${prefix}${original.pathname}${original.search}`;
      return super.request({ ...opts, uri });
    }
  }
  return new SimulatorRequestClient(options);
}
