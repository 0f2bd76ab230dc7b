import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guestBooking, slot } from '../testing/hubspot.js';
import { type NotificationsWorld, notificationsWorld } from '../testing/notifications.js';
import { testDatabases } from '../testing/test-app.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(probe: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await sleep(50);
  }
}

// The SMTP circuit breaker inside the running cloud: a failing mail server opens it, mail waits in
// the outbox (bookings still answer at once), nothing reaches the server while it is open, and every
// message goes out once the server is back.
describe.each(testDatabases())('the mail circuit breaker on %s', { timeout: 120_000 }, (kind) => {
  let w: NotificationsWorld;
  beforeAll(async () => {
    w = await notificationsWorld(kind, {
      notifications: { retryLimit: 20, retryDelaySeconds: 1 },
      resilience: { breakerFailures: 2, breakerOpenMs: 4_000 },
    });
  }, 120_000);
  afterAll(async () => w?.close());

  const smtpState = async () => {
    const health = await w.t.request({ method: 'GET', url: '/health' });
    expect(health.statusCode, 'an open breaker does not make the instance unready').toBe(200);
    return health.json().dependencies.smtp as string;
  };
  const refusalsLeft = () => w.mail.faults.snapshot().queued[0]?.remaining ?? 0;

  it('opens on a failing server, sends nothing while open, then delivers every message once', async () => {
    expect(await smtpState()).toBe('closed');
    w.mail.faults.refuseNext(421, 1_000);
    const emails = ['first.breaker@example.com', 'second.breaker@example.com'];
    for (const [i, email] of emails.entries()) {
      await guestBooking(w.t, w.facility.bayIds[0]!, slot(3, 10 + i), { email });
    }
    await until(async () => ((await smtpState()) === 'open' ? true : undefined));

    // Open: a new booking still answers, its mail waits, and no transaction reaches the server.
    const left = refusalsLeft();
    const third = 'third.breaker@example.com';
    await guestBooking(w.t, w.facility.bayIds[1]!, slot(3, 12), { email: third });
    emails.push(third);
    const refused = await until(async () => {
      const { rows } = (await w.t.app.db.execute(
        sql`SELECT last_error FROM notification_messages WHERE recipient = ${third}`,
      )) as unknown as { rows: { last_error: string | null }[] };
      return rows[0]?.last_error?.includes('circuit breaker open') ? rows[0].last_error : undefined;
    });
    expect(refused).toMatch(/mail server is failing/);
    expect(await smtpState()).toBe('open');
    expect(refusalsLeft(), 'no SMTP transaction while the breaker is open').toBe(left);

    // The server recovers: after the open period one trial goes through, the breaker closes, and
    // the outbox's retries deliver every message exactly once.
    w.mail.faults.reset();
    for (const email of emails) await w.mail.waitForMessage({ to: email }, 60_000);
    expect(await smtpState()).toBe('closed');
    await sleep(500);
    for (const email of emails) expect(w.mail.messages({ to: email })).toHaveLength(1);
  });
});
