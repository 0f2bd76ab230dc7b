import type { Socket } from 'node:net';
import pg from 'pg';

/**
 * A PostgreSQL URL naming several hosts, libpq style:
 * `postgres://user:pw@db1:5432,db2:5433/clubos?target_session_attrs=read-write`.
 * node-postgres (8.x) connects to one host only and ignores `target_session_attrs`, so the cloud
 * picks the host itself (decision 012, failover); psql and pg_dump read the same URL natively.
 */
export interface HostList {
  /** One single-host URL per host, in the order given, without `target_session_attrs`. */
  urls: string[];
  hosts: { host: string; port: number }[];
  /** `read-write`/`primary`: only a server that accepts writes is used. */
  readWrite: boolean;
}

const SESSION_ATTRS = ['any', 'read-write', 'primary'] as const;

/** Splits a libpq multi-host URL; a URL with one host and no attribute comes back as it is. */
export function parseHostList(url: string): HostList {
  const match = /^(postgres(?:ql)?:\/\/)([^@/?]*@)?([^/?]*)(.*)$/.exec(url);
  if (!match) throw new Error('DATABASE_URL: not a postgres:// URL');
  const [, scheme, userInfo = '', hostPart = '', rest = ''] = match;
  const [path = '', query = ''] = rest.split(/\?(.*)/s, 2);
  const params = new URLSearchParams(query);
  const attrs = params.get('target_session_attrs') ?? 'any';
  if (!(SESSION_ATTRS as readonly string[]).includes(attrs)) {
    throw new Error(
      `DATABASE_URL: target_session_attrs=${attrs} is not supported (use ${SESSION_ATTRS.join(', ')})`,
    );
  }
  params.delete('target_session_attrs');
  const tail = `${path}${params.size > 0 ? `?${params.toString()}` : ''}`;
  const hosts = hostPart.split(',').map((entry) => {
    const hostPort = /^(\[[^\]]+\]|[^:]*)(?::(\d+))?$/.exec(entry.trim());
    if (!hostPort || hostPort[1] === '') throw new Error(`DATABASE_URL: bad host "${entry}"`);
    return { host: hostPort[1]!, port: hostPort[2] ? Number(hostPort[2]) : 5432 };
  });
  return {
    urls: hosts.map((h) => `${scheme}${userInfo}${h.host}:${h.port}${tail}`),
    hosts: hosts.map((h) => ({ host: h.host.replace(/^\[|\]$/g, ''), port: h.port })),
    readWrite: attrs !== 'any',
  };
}

/** True when the connected server refuses writes (a standby, or read-only by default). */
async function refusesWrites(client: pg.Client): Promise<boolean> {
  const result = await client.query<{ ro: boolean }>(
    "SELECT pg_is_in_recovery() OR current_setting('transaction_read_only') = 'on' AS ro",
  );
  return result.rows[0]?.ro ?? true;
}

/**
 * The pool's connection settings for `url`. With several hosts (or a session attribute) the pool's
 * clients connect to the host last found usable; after any connection error (the primary stopped)
 * the next new connection tries the hosts in order until one accepts writes, so the instance
 * follows a promotion without a restart. Requests in flight at the failure get its error.
 */
export function poolConfig(url: string, connectTimeoutMs = 5_000): pg.PoolConfig {
  const list = parseHostList(url);
  if (list.hosts.length === 1 && !list.readWrite) return { connectionString: url };
  let current = 0;
  let verified = false;
  let search: Promise<number> | null = null;

  const probe = async (index: number): Promise<boolean> => {
    const client = new pg.Client({
      connectionString: list.urls[index],
      connectionTimeoutMillis: connectTimeoutMs,
    });
    client.on('error', () => {});
    try {
      await client.connect();
      return !(list.readWrite && (await refusesWrites(client)));
    } catch {
      return false;
    } finally {
      await client.end().catch(() => {});
    }
  };
  // One search at a time for the whole pool: a failover makes every connection ask at once.
  const findHost = (): Promise<number> => {
    search ??= (async () => {
      try {
        for (let i = 0; i < list.hosts.length; i += 1) {
          const index = (current + i) % list.hosts.length;
          if (await probe(index)) {
            current = index;
            verified = true;
            return index;
          }
        }
        const names = list.hosts.map((h) => `${h.host}:${h.port}`).join(', ');
        throw new Error(`no ${list.readWrite ? 'read-write ' : ''}PostgreSQL server among ${names}`);
      } finally {
        search = null;
      }
    })();
    return search;
  };

  class HostListClient extends pg.Client {
    constructor(config?: string | pg.ClientConfig) {
      const base = typeof config === 'string' ? { connectionString: config } : { ...config };
      super({ ...base, connectionString: list.urls[current] });
      // Any error on a live connection (server shut down, reset) may be a failover: re-check.
      this.on('error', () => {
        verified = false;
      });
    }

    override connect(): Promise<pg.Client>;
    override connect(callback: (err: Error) => void): void;
    override connect(callback?: (err: Error) => void): Promise<pg.Client> | undefined {
      const connected = (async () => {
        const index = verified ? current : await findHost();
        const target = list.hosts[index]!;
        const self = this as unknown as { host: string; port: number; connection: { stream: Socket } };
        // The pool's connect timeout destroys the socket (not yet connected) to end a slow connect;
        // connecting on it then would never call back, and the pool slot would hang for good.
        if (self.connection.stream.destroyed) throw new Error('connection timeout while choosing a host');
        self.host = target.host;
        self.port = target.port;
        try {
          return await super.connect();
        } catch (error) {
          verified = false;
          throw error;
        }
      })();
      if (!callback) return connected;
      connected.then(
        () => callback(null as unknown as Error),
        (error: Error) => callback(error),
      );
      return undefined;
    }
  }

  return { Client: HostListClient, connectionTimeoutMillis: connectTimeoutMs };
}

/**
 * One connection of its own (the LISTEN connection, the leader lease) through the same host list as
 * the pools, so it follows a promotion too.
 */
export function hostListClient(url: string, config: Omit<pg.ClientConfig, 'connectionString'>): pg.Client {
  const pool = poolConfig(url);
  const Client = (pool.Client ?? pg.Client) as typeof pg.Client;
  return new Client({
    ...config,
    connectionString: pool.connectionString ?? url,
    connectionTimeoutMillis: pool.connectionTimeoutMillis,
  });
}
