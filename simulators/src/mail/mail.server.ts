import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { MailFaults } from './mail.faults.js';
import { buildMailHttpApp } from './mail.http.js';
import { type MailMatch, MailStore, type StoredMail, toStoredMail } from './mail.store.js';

/**
 * A real SMTP server on a free port for tests and the demo (smtp-server), every message parsed
 * with mailparser and kept in memory, a wait-for-message helper, and a small HTTP API and inbox page
 * to read them (see README.md beside this file). Plain SMTP, no STARTTLS: it only listens locally.
 */
export interface MailServerOptions {
  /** SMTP port; 0 (default) picks a free one. */
  port?: number;
  host?: string;
  /** HTTP API port; 0 (default) picks a free one. `false`: no HTTP API. */
  httpPort?: number | false;
  /** When set, clients must AUTH (PLAIN/LOGIN) with these; otherwise AUTH is optional. */
  auth?: { user: string; pass: string };
  /** Messages kept in memory (the oldest tenth is dropped when full). Default 50,000. */
  maxMessages?: number;
  /** Largest message accepted (SIZE), bytes. Default 25 MB. */
  maxSize?: number;
  now?: () => number;
}

export interface MailServer {
  /** Where nodemailer connects: `createTransport({ host, port, secure: false })` or `smtpUrl`. */
  host: string;
  port: number;
  /** `smtp://host:port` (with credentials when `auth` is set). */
  smtpUrl: string;
  /** Base URL of the HTTP API and inbox page, or null without one. */
  httpUrl: string | null;
  faults: MailFaults;
  messages(match?: MailMatch): StoredMail[];
  message(id: string): StoredMail | undefined;
  waitForMessage(match?: MailMatch, timeoutMs?: number): Promise<StoredMail>;
  waitForCount(count: number, timeoutMs?: number): Promise<void>;
  /** Messages received since start, including any the cap dropped. */
  received(): number;
  /** Connections that ended in an error (a client reset), which the server survived. */
  connectionErrors(): number;
  clear(): void;
  close(): Promise<void>;
}

export const DEFAULT_WAIT_MS = 5_000;

function smtpError(code: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode: code });
}

export async function startMailServer(options: MailServerOptions = {}): Promise<MailServer> {
  const host = options.host ?? '127.0.0.1';
  const now = options.now ?? Date.now;
  const store = new MailStore(options.maxMessages ?? 50_000);
  const faults = new MailFaults();
  let sequence = 0;
  const auth = options.auth;

  const smtp = new SMTPServer({
    authOptional: auth === undefined,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    size: options.maxSize ?? 25 * 1024 * 1024,
    logger: false,
    // Clients are local: no reverse DNS lookup of each connecting address.
    disableReverseLookup: true,
    banner: 'ClubOS test mail server',
    // close() waits this long for clients (a pooled transport) before it drops their connections.
    closeTimeout: 1_000,
    onAuth(credentials, _session, callback) {
      if (auth && credentials.username === auth.user && credentials.password === auth.pass) {
        callback(null, { user: credentials.username });
      } else callback(smtpError(535, 'Authentication credentials invalid'));
    },
    onMailFrom(_address, _session, callback) {
      const refusal = faults.nextTransaction();
      callback(refusal ? smtpError(refusal.code, refusal.message) : null);
    },
    onRcptTo(address, _session, callback) {
      const refusal = faults.recipient(address.address);
      callback(refusal ? smtpError(refusal.code, refusal.message) : null);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          callback(smtpError(552, 'Message exceeds the fixed maximum message size'));
          return;
        }
        const raw = Buffer.concat(chunks);
        const envelope = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
          to: session.envelope.rcptTo.map((r) => r.address),
        };
        // No text→HTML conversion or link detection: tests read what was sent, and at 10,000
        // messages a minute those conversions cost more CPU than the rest of the server.
        simpleParser(raw, {
          skipTextToHtml: true,
          skipTextLinks: true,
          skipImageLinks: true,
          keepCidLinks: true,
        }).then(
          (parsed) => {
            sequence += 1;
            store.add(toStoredMail(`m${sequence}`, parsed, envelope, raw, now()));
            callback(null, `Queued as m${sequence}`);
          },
          (error: Error) => callback(smtpError(554, `Unparseable message: ${error.message}`)),
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    smtp.once('error', reject);
    smtp.listen(options.port ?? 0, host, () => {
      smtp.off('error', reject);
      resolve();
    });
  });
  // A client that drops its connection (ECONNRESET) is reported here; without a listener the
  // server's 'error' event would end the whole process.
  let connectionErrors = 0;
  smtp.on('error', () => {
    connectionErrors += 1;
  });
  const port = (smtp.server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  const server: Omit<MailServer, 'httpUrl' | 'close'> = {
    host,
    port,
    smtpUrl: auth
      ? `smtp://${encodeURIComponent(auth.user)}:${encodeURIComponent(auth.pass)}@${urlHost}:${port}`
      : `smtp://${urlHost}:${port}`,
    faults,
    messages: (match) => store.list(match),
    message: (id) => store.get(id),
    waitForMessage: (match = {}, timeoutMs = DEFAULT_WAIT_MS) => store.waitFor(match, timeoutMs),
    waitForCount: (count, timeoutMs = DEFAULT_WAIT_MS) => store.waitForCount(count, timeoutMs),
    received: () => store.received,
    connectionErrors: () => connectionErrors,
    clear: () => store.clear(),
  };

  let http: FastifyInstance | null = null;
  let httpUrl: string | null = null;
  if (options.httpPort !== false) {
    http = buildMailHttpApp(server);
    await http.listen({ port: options.httpPort ?? 0, host });
    httpUrl = `http://${urlHost}:${(http.server.address() as AddressInfo).port}`;
  }
  return {
    ...server,
    httpUrl,
    close: async () => {
      await http?.close();
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    },
  };
}
