import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';
import { simulatorRequestClient } from '../twilio/twilio.request-client.js';
import {
  startTwilioSimulator,
  type TwilioSimulator,
  type TwilioSimulatorOptions,
} from '../twilio/twilio.simulator.js';

/** Shared by the Twilio simulator's suites: a simulator on a free port and the official SDK on it. */
export async function startWithTwilioClient(
  options: TwilioSimulatorOptions = {},
  clientOptions: { autoRetry?: boolean; maxRetries?: number; timeout?: number } = {},
): Promise<{ sim: TwilioSimulator; client: twilio.Twilio }> {
  const sim = await startTwilioSimulator(options);
  const client = twilio(sim.accountSid, sim.authToken, {
    httpClient: simulatorRequestClient(twilio.RequestClient, sim.url, clientOptions),
  });
  return { sim, client };
}

export interface SdkError {
  status: number;
  code: number | undefined;
  message: string;
  moreInfo: string | undefined;
}

/** Awaits a call that must fail with the SDK's RestException and returns its fields. */
export async function restException(call: Promise<unknown>): Promise<SdkError> {
  try {
    await call;
  } catch (error) {
    if (!(error instanceof twilio.RestException)) throw error;
    return { status: error.status, code: error.code, message: error.message, moreInfo: error.moreInfo };
  }
  throw new Error('expected the SDK call to fail');
}

export interface ReceivedWebhook {
  /** The URL as the simulator called it (what a receiver validates the signature against). */
  url: string;
  headers: IncomingHttpHeaders;
  params: Record<string, string>;
}

/**
 * A plain HTTP server standing in for our cloud's webhook endpoints: records every form POST and
 * answers with `respond` (TwiML for inbound messages; an empty 200 by default).
 */
export async function startWebhookReceiver(
  respond: (hook: ReceivedWebhook) => { status?: number; body?: string; contentType?: string } = () => ({}),
): Promise<{ url: string; received: ReceivedWebhook[]; close(): Promise<void> }> {
  const received: ReceivedWebhook[] = [];
  let origin = '';
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      raw += chunk;
    });
    req.on('end', () => {
      const hook = {
        url: `${origin}${req.url ?? ''}`,
        headers: req.headers,
        params: Object.fromEntries(new URLSearchParams(raw)),
      };
      received.push(hook);
      const answer = respond(hook);
      res.writeHead(answer.status ?? 200, { 'content-type': answer.contentType ?? 'text/xml' });
      res.end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
