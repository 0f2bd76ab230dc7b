import { type MailServer, startMailServer } from '@clubos/simulators/mail/index';
import { sql } from 'drizzle-orm';
import { type CloudConfig, testConfig } from '../config.js';
import { createFacility, type FacilityFixture, type FacilityOptions, loginAdmin } from './facility.js';
import { createTestApp, type TestApp, type TestDatabaseKind } from './test-app.js';

export interface NotificationsWorld {
  t: TestApp;
  mail: MailServer;
  facility: FacilityFixture;
  adminToken: string;
  close(): Promise<void>;
}

/**
 * A cloud sending email to a real SMTP server (the mail simulator, smtp-server + mailparser) through
 * nodemailer and the pg-boss queue, with one facility (Toronto by default, with an address).
 */
export async function notificationsWorld(
  kind: TestDatabaseKind,
  options: {
    facility?: FacilityOptions;
    notifications?: Partial<CloudConfig['notifications']>;
    resilience?: Partial<CloudConfig['resilience']>;
  } = {},
): Promise<NotificationsWorld> {
  const mail = await startMailServer({ httpPort: false });
  const base = testConfig().notifications;
  const t = await createTestApp(kind, {
    notifications: { ...base, smtpUrl: mail.smtpUrl, ...options.notifications },
    resilience: { ...testConfig().resilience, ...options.resilience },
  });
  const facility = await createFacility(t, {
    timezone: 'America/Toronto',
    minAdvanceHours: 0,
    ...options.facility,
  });
  await t.app.db.execute(
    sql`UPDATE facilities SET address = '100 Fairway Rd, Toronto ON' WHERE id = ${facility.facilityId}`,
  );
  const adminToken = await loginAdmin(t);
  return {
    t,
    mail,
    facility,
    adminToken,
    close: async () => {
      await t.close();
      await mail.close();
    },
  };
}
