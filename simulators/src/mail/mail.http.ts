import Fastify, { type FastifyInstance } from 'fastify';
import type { MailServer } from './mail.server.js';
import type { MailMatch, StoredMail } from './mail.store.js';

type Reader = Omit<MailServer, 'httpUrl' | 'close'>;

/** A message as JSON: everything but the raw bytes and attachment contents (those have their own URLs). */
export function mailJson(mail: StoredMail): Record<string, unknown> {
  const { raw, attachments, ...rest } = mail;
  return {
    ...rest,
    size: raw.length,
    attachments: attachments.map(({ content: _content, ...meta }, index) => ({
      ...meta,
      url: `/messages/${mail.id}/attachments/${index}`,
    })),
  };
}

function matchOf(query: Record<string, string | undefined>): MailMatch {
  return {
    ...(query.to ? { to: query.to } : {}),
    ...(query.from ? { from: query.from } : {}),
    ...(query.subject ? { subject: query.subject } : {}),
  };
}

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** The inbox page for the demo: newest first, each message's HTML body one click away. */
function inboxPage(mails: StoredMail[]): string {
  const rows = [...mails]
    .reverse()
    .slice(0, 200)
    .map(
      (m) =>
        `<tr><td>${escapeHtml(new Date(m.receivedAt).toISOString())}</td><td>${escapeHtml(m.envelope.to.join(', '))}</td>` +
        `<td><a href="/messages/${m.id}/html">${escapeHtml(m.subject || '(no subject)')}</a></td>` +
        `<td>${m.attachments.map((a, i) => `<a href="/messages/${m.id}/attachments/${i}">${escapeHtml(a.filename ?? `part ${i}`)}</a>`).join(' ')}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><title>Test mail inbox</title>
<style>body{font:14px system-ui;margin:1.5rem}td,th{padding:.3rem .6rem;text-align:left;border-bottom:1px solid #ddd}</style>
</head><body><h1>Test mail inbox (${mails.length})</h1>
<table><tr><th>Received</th><th>To</th><th>Subject</th><th>Attachments</th></tr>
${rows}</table></body></html>`;
}

/**
 * The HTTP side of the mail kit, for tests in another process and the demo: list, read, wait for,
 * and clear messages, set SMTP faults, and an inbox page at `/`.
 */
export function buildMailHttpApp(mail: Reader): FastifyInstance {
  const app = Fastify({ logger: false });
  type Q = { Querystring: Record<string, string | undefined> };
  type P = { Params: { id: string; index?: string } };

  app.setErrorHandler((error, _request, reply) => {
    const status = error instanceof RangeError ? 400 : ((error as { statusCode?: number }).statusCode ?? 500);
    return reply.code(status).send({ message: (error as Error).message });
  });
  const found = (id: string) => {
    const m = mail.message(id);
    if (!m) throw Object.assign(new Error(`no message ${id}`), { statusCode: 404 });
    return m;
  };

  app.get('/', async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(inboxPage(mail.messages())),
  );
  app.get<Q>('/messages', async (request) => ({
    received: mail.received(),
    messages: mail.messages(matchOf(request.query)).map(mailJson),
  }));
  app.delete('/messages', async (_request, reply) => {
    mail.clear();
    return reply.code(204).send();
  });
  app.get<Q>('/wait', async (request) => {
    const timeout = Number(request.query.timeout_ms ?? 5_000);
    if (!Number.isInteger(timeout) || timeout < 0 || timeout > 120_000)
      throw new RangeError('timeout_ms: an integer of ms, 0-120000');
    try {
      return mailJson(await mail.waitForMessage(matchOf(request.query), timeout));
    } catch (error) {
      throw Object.assign(error as Error, { statusCode: 408 });
    }
  });
  app.get<P>('/messages/:id', async (request) => mailJson(found(request.params.id)));
  app.get<P>('/messages/:id/html', async (request, reply) => {
    const m = found(request.params.id);
    const body = m.html ?? `<pre>${escapeHtml(m.text ?? '')}</pre>`;
    return reply.type('text/html; charset=utf-8').send(body);
  });
  app.get<P>('/messages/:id/raw', async (request, reply) =>
    reply.type('message/rfc822').send(found(request.params.id).raw),
  );
  app.get<P>('/messages/:id/attachments/:index', async (request, reply) => {
    const attachment = found(request.params.id).attachments[Number(request.params.index)];
    if (!attachment)
      throw Object.assign(new Error(`no attachment ${request.params.index}`), { statusCode: 404 });
    if (attachment.filename)
      reply.header('content-disposition', `attachment; filename="${attachment.filename}"`);
    return reply.type(attachment.contentType).send(attachment.content);
  });
  app.get('/faults', async () => mail.faults.snapshot());
  app.post<{ Body: Record<string, unknown> | undefined }>('/faults', async (request) => {
    const body = request.body ?? {};
    if (body.reset === true) mail.faults.reset();
    const refuse = body.refuse as { code?: unknown; count?: unknown; message?: unknown } | undefined;
    if (refuse !== undefined) {
      mail.faults.refuseNext(
        Number(refuse.code),
        refuse.count === undefined ? 1 : Number(refuse.count),
        refuse.message as string | undefined,
      );
    }
    const recipient = body.refuse_recipient as { address?: unknown; code?: unknown } | undefined;
    if (recipient !== undefined) {
      if (typeof recipient.address !== 'string')
        throw new RangeError('refuse_recipient.address: an e-mail address');
      mail.faults.refuseRecipient(
        recipient.address,
        recipient.code === undefined ? 550 : Number(recipient.code),
      );
    }
    return mail.faults.snapshot();
  });
  return app;
}
