import { createHash } from 'node:crypto';
import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import pg from 'pg';
import type { Executor } from '../db/client.js';

/** What runs a named statement: node-postgres's pool or one of its checked-out clients. */
export type NamedStatementClient = Pick<pg.Pool | pg.PoolClient, 'query'>;

const dialect = new PgDialect();
const clients = new WeakMap<object, NamedStatementClient>();
const names = new Map<string, string>();

// Instants, dates and intervals (and their arrays) stay text, exactly as drizzle's `execute` answers.
const AS_TEXT = new Set<number>([
  pg.types.builtins.TIMESTAMPTZ,
  pg.types.builtins.TIMESTAMP,
  pg.types.builtins.DATE,
  pg.types.builtins.INTERVAL,
  1231,
  1115,
  1185,
  1187,
  1182,
]);
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    AS_TEXT.has(oid)
      ? (value: string) => value
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/**
 * Ties a database or an open transaction to the node-postgres client its statements run on
 * (db/client.ts does, for the pool and for every transaction's connection). PGlite binds nothing.
 */
export function bindNamedStatements(executor: object, client: NamedStatementClient): void {
  clients.set(executor, client);
}

/**
 * `executor.execute(query)` as a NAMED prepared statement on PostgreSQL: parsed and planned once
 * per connection. For the hot statements planning cost more than executing (1.5–2.3 ms against
 * under 1 ms; docs/performance.md). The name derives from the text (node-postgres refuses one name
 * for two texts). PGlite has no named statements: a plain parameterised query there.
 */
export async function executeNamed<T>(executor: Executor, query: SQL): Promise<{ rows: T[] }> {
  const client = clients.get(executor);
  if (client === undefined) return (await executor.execute(query)) as unknown as { rows: T[] };
  const { sql: text, params: values } = dialect.sqlToQuery(query);
  let name = names.get(text);
  if (name === undefined) {
    name = `s_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    if (names.size > 500) names.clear();
    names.set(text, name);
  }
  return (await client.query({ name, text, values, types })) as unknown as { rows: T[] };
}
