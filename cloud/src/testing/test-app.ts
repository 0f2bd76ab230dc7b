import { randomBytes } from 'node:crypto';
import type { Writable } from 'node:stream';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { buildApp } from '../app.js';
import { type CloudConfig, testConfig, testDatabaseUrl } from '../config.js';
import { pgliteTemplate } from './pglite-template.js';

export type TestDatabaseKind = 'pglite' | 'postgres';

/**
 * The databases the API suites run on: always PGlite (in memory), plus PostgreSQL when
 * TEST_DATABASE_URL is set. Use with `describe.each(testDatabases())('… on %s', (kind) => …)`.
 */
export function testDatabases(): TestDatabaseKind[] {
  return testDatabaseUrl() ? ['pglite', 'postgres'] : ['pglite'];
}

export interface TestApp {
  app: FastifyInstance;
  kind: TestDatabaseKind;
  config: CloudConfig;
  /** `inject` with JSON and an optional bearer token. */
  request(options: InjectOptions & { token?: string }): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/**
 * A fresh, empty PostgreSQL database for one test app, and how to drop it; for PGlite nothing
 * (an in-memory database is fresh by construction).
 */
export async function createTestDatabase(
  kind: TestDatabaseKind,
  prefix = 'clubos_test',
): Promise<{ databaseUrl?: string; drop?: () => Promise<void> }> {
  if (kind !== 'postgres') return {};
  const serverUrl = testDatabaseUrl();
  if (!serverUrl) throw new Error('TEST_DATABASE_URL is not set');
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    databaseUrl: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/** A fresh, empty database per call: on PostgreSQL a new database that `close()` drops. */
export async function createTestApp(
  kind: TestDatabaseKind,
  overrides: Partial<CloudConfig> = {},
  options: { logStream?: Writable } = {},
): Promise<TestApp> {
  const { databaseUrl, drop } = await createTestDatabase(kind);
  const config = testConfig({ databaseUrl, ...overrides });
  // In-memory PGlite starts from the migrated template (see pglite-template.ts); a PGlite data
  // folder or PostgreSQL starts as usual.
  const inMemory = !config.databaseUrl && !config.dataDir;
  const app = await buildApp({
    config,
    ...(inMemory ? { pgliteTemplate: await pgliteTemplate() } : {}),
    // A captured log (testing/log-capture.ts) records from info up, whatever the config's level.
    ...(options.logStream ? { fastify: { logger: { level: 'info', stream: options.logStream } } } : {}),
  });
  return {
    app,
    kind,
    config,
    request: ({ token, headers, ...options }) =>
      app.inject({
        ...options,
        headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      }),
    close: async () => {
      await app.close();
      await drop?.();
    },
  };
}
