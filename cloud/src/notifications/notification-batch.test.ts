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

    it("reads a batch's facts as the single read does, with version, unsubscribe and STOP", async () => {
      const ids = await repo.reminderRows([reminder(0), reminder(1)], ['email', 'sms']);
      await repo.unsubscribe('batch.one@example.com');
      await new SmsOptOutRepository(t.app.db).optOut('+14165550182', 'STOP');
      const many = await repo.factsOf([...ids.values()]);
      expect(many.size).toBe(4);
      for (const id of ids.values()) expect(many.get(id)).toEqual(await repo.facts(id));
      const one = many.get(ids.get(reminderKey(bookings[0]!.id, 1, 1440, 'email'))!)!;
      const two = many.get(ids.get(reminderKey(bookings[1]!.id, 1, 1440, 'sms'))!)!;
      expect([one.currentVersion, one.unsubscribed, one.smsOptedOut]).toEqual([1, true, false]);
      expect([two.currentVersion, two.unsubscribed, two.smsOptedOut]).toEqual([1, false, true]);
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
  },
);
