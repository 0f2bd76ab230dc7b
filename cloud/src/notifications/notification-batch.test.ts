import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFacility, type FacilityFixture, utcSlot } from '../testing/facility.js';
import { guestBooking } from '../testing/hubspot.js';
import { createTestApp, type TestApp, testDatabases } from '../testing/test-app.js';
import { NotificationRepository, reminderKey } from './notification.repository.js';
import { SmsOptOutRepository } from './sms-opt-out.repository.js';
import { SmsWebhookService } from './sms-webhook.service.js';

// The set-wise reads and writes a batch of due reminders uses, and the status callbacks that need
// no write (bench/notifications-cloud.md: what they save).
describe.each(testDatabases())(
  'reminder batches and status callbacks on %s',
  { timeout: 120_000 },
  (kind) => {
    let t: TestApp;
    let facility: FacilityFixture;
    let repo: NotificationRepository;
    const bookings: { id: string }[] = [];
    beforeAll(async () => {
      // No SMTP: nothing sends in the background, the rows stay as the test leaves them.
      t = await createTestApp(kind);
      facility = await createFacility(t, { bays: 2 });
      repo = new NotificationRepository(t.app.db);
      bookings.push(
        await guestBooking(t, facility.bayIds[0]!, utcSlot(3, 15), {
          email: 'Batch.One@example.com',
          phone: '+14165550181',
        }),
        await guestBooking(t, facility.bayIds[1]!, utcSlot(3, 15), {
          email: 'batch.two@example.com',
          phone: '+14165550182',
        }),
      );
    }, 120_000);
    afterAll(async () => t?.close());

    const reminder = (i: number) => ({
      bookingId: bookings[i]!.id,
      facilityId: facility.facilityId,
      version: 1,
      offsetMinutes: 1440,
    });
    const reminderCount = async () =>
      Number(
        (
          (await t.app.db.execute(
            sql`SELECT count(*)::int AS n FROM notification_messages WHERE kind = 'reminder'`,
          )) as unknown as { rows: { n: number }[] }
        ).rows[0]!.n,
      );

    it('reads the current version of many bookings at once', async () => {
      const versions = await repo.currentVersions([bookings[0]!.id, bookings[1]!.id, bookings[0]!.id]);
      expect(versions).toEqual(
        new Map([
          [bookings[0]!.id, 1],
          [bookings[1]!.id, 1],
        ]),
      );
    });

    it('makes one row per reminder and channel in one statement, and finds the same rows again', async () => {
      // One of them made earlier, one by one (a retried job, another instance).
      const earlier = await repo.reminderRow(bookings[0]!.id, facility.facilityId, 1, 1440, 'sms');
      const first = await repo.reminderRows([reminder(0), reminder(1)], ['email', 'sms']);
      expect(first.size).toBe(4);
      expect(first.get(reminderKey(bookings[0]!.id, 1, 1440, 'sms'))).toBe(earlier);
      expect(await reminderCount()).toBe(4);
      const again = await repo.reminderRows([reminder(1), reminder(0)], ['email', 'sms']);
      expect(again).toEqual(first);
      expect(await reminderCount()).toBe(4);
    });

    it("reads a batch's facts as the single read does, with version, the kind's channels and STOP", async () => {
      const ids = await repo.reminderRows([reminder(0), reminder(1)], ['email', 'sms']);
      await t.app.db.execute(sql`INSERT INTO notification_preferences (customer_id, kind, email)
        SELECT id, 'reminder', false FROM customers WHERE email = 'batch.one@example.com'`);
      await new SmsOptOutRepository(t.app.db).optOut('+14165550182', 'STOP');
      const many = await repo.factsOf([...ids.values()]);
      expect(many.size).toBe(4);
      for (const id of ids.values()) expect(many.get(id)).toEqual(await repo.facts(id));
      const one = many.get(ids.get(reminderKey(bookings[0]!.id, 1, 1440, 'email'))!)!;
      const two = many.get(ids.get(reminderKey(bookings[1]!.id, 1, 1440, 'sms'))!)!;
      expect([one.currentVersion, one.kindChannels, one.smsOptedOut]).toEqual([
        1,
        { email: false, sms: true, in_app: true },
        false,
      ]);
      expect([two.currentVersion, two.kindChannels, two.smsOptedOut]).toEqual([1, undefined, true]);
    });

    it('a status callback writes only a change that matters: not "on its way", not a repeat', async () => {
      const id = (await repo.reminderRows([reminder(0)], ['sms'])).values().next().value!;
      await repo.markSmsSent(id, 'SMbatch0000000000000000000000001', 'queued', new Date());
      const service = new SmsWebhookService(repo, new SmsOptOutRepository(t.app.db), 'token', 'http://x');
      const status = (MessageStatus: string) =>
        service.status({ MessageSid: 'SMbatch0000000000000000000000001', MessageStatus });
      const deliveryStatus = async () =>
        (
          (await t.app.db.execute(
            sql`SELECT delivery_status FROM notification_messages WHERE id = ${id}`,
          )) as unknown as { rows: { delivery_status: string }[] }
        ).rows[0]!.delivery_status;
      expect(await status('sending')).toEqual({ updated: false });
      expect(await deliveryStatus()).toBe('queued');
      expect(await status('sent')).toEqual({ updated: true });
      expect(await status('sent')).toEqual({ updated: false });
      expect(await status('delivered')).toEqual({ updated: true });
      expect(await status('sent')).toEqual({ updated: false });
      expect(await deliveryStatus()).toBe('delivered');
    });

    it('status callbacks arriving together are written in one statement, in their order', async () => {
      const ids = [...(await repo.reminderRows([reminder(1)], ['sms'])).values()];
      const other = await repo.reminderRow(bookings[1]!.id, facility.facilityId, 2, 120, 'sms');
      await repo.markSmsSent(ids[0]!, 'SMbatch0000000000000000000000002', 'queued', new Date());
      await repo.markSmsSent(other, 'SMbatch0000000000000000000000003', 'queued', new Date());
      let statements = 0;
      const counted = Object.assign(Object.create(repo) as NotificationRepository, {
        recordDeliveries: (words: Parameters<NotificationRepository['recordDeliveries']>[0]) => {
          statements += 1;
          return repo.recordDeliveries(words);
        },
      });
      const service = new SmsWebhookService(counted, new SmsOptOutRepository(t.app.db), 'token', 'http://x');
      const callback = (n: number, MessageStatus: string) =>
        service.status({ MessageSid: `SMbatch000000000000000000000000${n}`, MessageStatus });
      const answers = await Promise.all([
        callback(2, 'sent'),
        callback(3, 'sent'),
        callback(2, 'delivered'),
        callback(3, 'undelivered'),
        callback(2, 'sent'),
        callback(3, 'delivered'),
      ]);
      // The first is written alone; the rest wait for it and go together.
      expect(statements).toBe(2);
      expect(answers.map((a) => a.updated)).toEqual([true, false, true, true, false, false]);
      const statuses = (
        (await t.app.db.execute(
          sql`SELECT delivery_status FROM notification_messages WHERE message_id IN
          ('SMbatch0000000000000000000000002', 'SMbatch0000000000000000000000003') ORDER BY message_id`,
        )) as unknown as { rows: { delivery_status: string }[] }
      ).rows.map((r) => r.delivery_status);
      expect(statuses).toEqual(['delivered', 'undelivered']);
    });

    it("a callback that beats the send's record of its SID is written once the SID is recorded", async () => {
      const id = await repo.reminderRow(bookings[0]!.id, facility.facilityId, 3, 60, 'sms');
      const service = new SmsWebhookService(repo, new SmsOptOutRepository(t.app.db), 'token', 'http://x');
      const early = service.status({
        MessageSid: 'SMbatch0000000000000000000000004',
        MessageStatus: 'delivered',
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      await repo.markSmsSent(id, 'SMbatch0000000000000000000000004', 'queued', new Date());
      expect(await early).toEqual({ updated: true });
      const [row] = (
        (await t.app.db.execute(
          sql`SELECT delivery_status FROM notification_messages WHERE id = ${id}`,
        )) as unknown as { rows: { delivery_status: string }[] }
      ).rows;
      expect(row!.delivery_status).toBe('delivered');
    });
  },
);
