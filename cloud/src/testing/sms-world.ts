import { createServer } from 'node:net';
import { type MailServer, startMailServer } from '@clubos/simulators/mail/index';
import { DEFAULT_FROM, startTwilioSimulator, type TwilioSimulator } from '@clubos/simulators/twilio/index';
import { sql } from 'drizzle-orm';
import type { CloudConfig } from '../config.js';
import { testConfig } from '../config.js';
import { createFacility, type FacilityFixture, type FacilityOptions, loginAdmin } from './facility.js';
import { createTestApp, type TestApp, type TestDatabaseKind } from './test-app.js';

export interface SmsWorld {
  t: TestApp;
  mail: MailServer;
  twilio: TwilioSimulator;
  facility: FacilityFixture;
  adminToken: string;
  /** Where the cloud listens (Twilio's webhooks reach it over real HTTP). */
  publicUrl: string;
  close(): Promise<void>;
}

/** A port nothing listens on now (the cloud's URL must be known before it is built). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * A listening cloud that sends email to the mail simulator and SMS through the official twilio
 * SDK to the Twilio simulator, whose status callbacks and inbound texts come back to it signed.
 */
export async function smsWorld(
  kind: TestDatabaseKind,
  options: { facility?: FacilityOptions; notifications?: Partial<CloudConfig['notifications']> } = {},
): Promise<SmsWorld> {
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const mail = await startMailServer({ httpPort: false });
  const twilio = await startTwilioSimulator({
    phoneNumbers: [{ number: DEFAULT_FROM, smsUrl: `${publicUrl}/api/v1/webhooks/twilio/sms` }],
  });
  const base = testConfig().notifications;
  const t = await createTestApp(kind, {
    notifications: {
      ...base,
      smtpUrl: mail.smtpUrl,
      publicUrl,
      sms: {
        accountSid: twilio.accountSid,
        authToken: twilio.authToken,
        from: DEFAULT_FROM,
        messagingServiceSid: undefined,
        apiBaseUrl: twilio.url,
        timeoutMs: 1_500,
      },
      ...options.notifications,
    },
  });
  await t.app.listen({ port, host: '127.0.0.1' });
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
    twilio,
    facility,
    adminToken,
    publicUrl,
    close: async () => {
      await t.close();
      await twilio.close();
      await mail.close();
    },
  };
}
