import { buildApp } from '../app.js';
import { testConfig } from '../config.js';

/**
 * A cloud in its own process for the kill -9 test (notifications.crash.test.ts): PostgreSQL from
 * NOTIFY_CHILD_DB, mail to NOTIFY_CHILD_SMTP, the secrets of the test's own app. Prints "ready".
 */
const base = testConfig();
const app = await buildApp({
  config: testConfig({
    databaseUrl: process.env.NOTIFY_CHILD_DB,
    jwtSecret: process.env.NOTIFY_CHILD_JWT ?? base.jwtSecret,
    accessSigningKey: process.env.NOTIFY_CHILD_KEY ?? base.accessSigningKey,
    notifications: { ...base.notifications, smtpUrl: process.env.NOTIFY_CHILD_SMTP },
  }),
});
process.stdout.write('ready\n');
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
