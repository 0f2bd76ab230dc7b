import http from 'node:http';

export interface PacedOptions {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: () => string;
  /** Requests per second, sent evenly: one every 1000 / rate ms. */
  rate: number;
  seconds: number;
  /** Sockets kept open to the server (requests beyond them queue in the agent, and that wait counts). */
  sockets?: number;
}

/**
 * An open-loop load at an even rate, for latency at a given load. autocannon's `overallRate`
 * lets every connection send its share of a second back to back when the second starts, so its
 * "fixed-rate" latency is that of a burst; here request n is due at n / rate seconds, whatever
 * happened to the others, and its latency counts from when it was due (no coordinated omission:
 * a stalled server makes the requests queued behind it late, and that lateness is measured).
 */
export async function pacedLoad(
  options: PacedOptions,
): Promise<{ times: number[]; statuses: Record<string, number>; seconds: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.sockets ?? 32 });
  const target = new URL(options.url);
  const times: number[] = [];
  const statuses: Record<string, number> = {};
  const total = Math.round(options.rate * options.seconds);
  const intervalNs = 1e9 / options.rate;
  const started = process.hrtime.bigint();
  let sent = 0;
  let done = 0;
  await new Promise<void>((resolve, reject) => {
    const send = (dueNs: bigint) => {
      const body = options.body?.();
      const request = http.request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: target.pathname + target.search,
          method: options.method ?? 'GET',
          headers: {
            ...options.headers,
            ...(body !== undefined ? { 'content-length': Buffer.byteLength(body) } : {}),
          },
        },
        (response) => {
          response.resume();
          response.on('end', () => {
            times.push(Number(process.hrtime.bigint() - dueNs) / 1e6);
            const code = String(response.statusCode);
            statuses[code] = (statuses[code] ?? 0) + 1;
            if (++done === total) resolve();
          });
        },
      );
      request.on('error', reject);
      request.end(body);
    };
    const tick = () => {
      const now = process.hrtime.bigint() - started;
      while (sent < total && BigInt(Math.round(sent * intervalNs)) <= now) {
        send(started + BigInt(Math.round(sent * intervalNs)));
        sent++;
      }
      if (sent < total) setTimeout(tick, 1);
    };
    tick();
  });
  agent.destroy();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { times: times.sort((a, b) => a - b), statuses, seconds };
}
