import { connect, createServer, type Socket } from 'node:net';

/**
 * The venue's internet line, as a TCP proxy between the edge and the cloud: the edge's CLOUD_URL
 * points here. Cutting it drops every open connection (a long-poll in flight fails as it would when
 * the line goes down) and resets every new one until the link is restored. Only the edge goes
 * through it: customers keep reaching the cloud, as they do when one venue's internet fails.
 */
export interface CloudLink {
  /** `http://127.0.0.1:<port>`: what the edge uses as CLOUD_URL. */
  url: string;
  port: number;
  readonly offline: boolean;
  /** Open connections right now (both directions count as one). */
  readonly connections: number;
  setOffline(offline: boolean): void;
  close(): Promise<void>;
}

export async function startCloudLink(options: {
  /** The cloud's base URL (http). */
  target: string;
  port?: number;
  host?: string;
  offline?: boolean;
}): Promise<CloudLink> {
  const target = new URL(options.target);
  const targetPort = Number(target.port || 80);
  const pairs = new Set<[Socket, Socket]>();
  let offline = options.offline ?? false;

  const server = createServer((inbound) => {
    if (offline) {
      inbound.resetAndDestroy();
      return;
    }
    const outbound = connect({ host: target.hostname, port: targetPort });
    const pair: [Socket, Socket] = [inbound, outbound];
    pairs.add(pair);
    const drop = () => {
      pairs.delete(pair);
      inbound.destroy();
      outbound.destroy();
    };
    inbound.on('error', drop).on('close', drop);
    outbound.on('error', drop).on('close', drop);
    inbound.pipe(outbound);
    outbound.pipe(inbound);
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('cloud link: no TCP address');

  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    get offline() {
      return offline;
    },
    get connections() {
      return pairs.size;
    },
    setOffline(value) {
      offline = value;
      if (!value) return;
      for (const [inbound, outbound] of pairs) {
        // A reset, not a polite FIN: the edge must see the line fail, not a finished response.
        inbound.resetAndDestroy();
        outbound.destroy();
      }
      pairs.clear();
    },
    async close() {
      for (const [inbound, outbound] of pairs) {
        inbound.destroy();
        outbound.destroy();
      }
      pairs.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
