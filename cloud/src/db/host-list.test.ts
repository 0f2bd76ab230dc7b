import { createServer } from 'node:net';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createTestDatabase, testDatabases } from '../testing/test-app.js';
import { openDatabase } from './client.js';
import { parseHostList, poolConfig } from './host-list.js';

describe('a list of PostgreSQL hosts in DATABASE_URL', () => {
  it('splits hosts and ports, keeps credentials, database and other parameters on each', () => {
    const list = parseHostList(
      'postgres://app:s3cret@db1:5432,db2:6543,[::1]/clubos?sslmode=disable&target_session_attrs=read-write',
    );
    expect(list.hosts).toEqual([
      { host: 'db1', port: 5432 },
      { host: 'db2', port: 6543 },
      { host: '::1', port: 5432 },
    ]);
    expect(list.urls).toEqual([
      'postgres://app:s3cret@db1:5432/clubos?sslmode=disable',
      'postgres://app:s3cret@db2:6543/clubos?sslmode=disable',
      'postgres://app:s3cret@[::1]:5432/clubos?sslmode=disable',
    ]);
    expect(list.readWrite).toBe(true);
  });

  it('reads target_session_attrs: any (the default) accepts a standby; primary means read-write', () => {
    expect(parseHostList('postgres://db1,db2/x').readWrite).toBe(false);
    expect(parseHostList('postgresql://db1/x?target_session_attrs=primary').readWrite).toBe(true);
  });

  it('refuses an attribute it cannot honour, naming it', () => {
    expect(() => parseHostList('postgres://db1/x?target_session_attrs=standby')).toThrow(
      /target_session_attrs=standby is not supported/,
    );
    expect(() => parseHostList('postgres://db1,:5/x')).toThrow(/bad host ":5"/);
  });

  it('leaves a plain one-host URL to node-postgres as it is', () => {
    expect(poolConfig('postgres://u@db:5432/x')).toEqual({ connectionString: 'postgres://u@db:5432/x' });
    expect(poolConfig('postgres://u@db:5432/x?target_session_attrs=read-write').Client).toBeDefined();
  });
});

/** A port nothing listens on (taken, then released). */
async function deadPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 1));
    });
  });
}

// PostgreSQL only (a host list is a pg pool's); the promotion itself is drilled in deploy/dr.
describe.each(testDatabases().filter((k) => k === 'postgres'))('host list on %s', (kind) => {
  it('skips a host that is down and migrates and queries through the next one', async () => {
    const { databaseUrl, drop } = await createTestDatabase(kind, 'clubos_hosts');
    const real = new URL(databaseUrl!);
    const listed = `postgres://${real.username}@127.0.0.1:${await deadPort()},${real.host}${real.pathname}?target_session_attrs=read-write`;
    const handle = await openDatabase({ url: listed, poolSize: 2 });
    try {
      type Rows<T> = { rows: T[] };
      const result = (await handle.db.execute(sql`SELECT current_setting('port') AS port`)) as Rows<{
        port: string;
      }>;
      expect(result.rows[0]?.port).toBe(real.port || '5432');
      const tables = (await handle.db.execute(
        sql`SELECT to_regclass('bookings') IS NOT NULL AS migrated`,
      )) as Rows<{ migrated: boolean }>;
      expect(tables.rows[0]?.migrated).toBe(true);
    } finally {
      await handle.close();
      await drop?.();
    }
  });

  it('fails with a message naming every host when none is up', async () => {
    const a = await deadPort();
    const b = await deadPort();
    const failure = await openDatabase({
      url: `postgres://postgres@127.0.0.1:${a},127.0.0.1:${b}/x?target_session_attrs=read-write`,
    }).then(
      () => undefined,
      (error: Error) => error,
    );
    // The migration lock's connection is the first to fail: the pool's own error, unwrapped.
    expect(failure?.message).toBe(`no read-write PostgreSQL server among 127.0.0.1:${a}, 127.0.0.1:${b}`);
  });
});
