import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { signatureHeader } from '@clubos/simulators/stripe/index';

/**
 * The webhook bench's load generator, in its own process so that signing events and the HTTP
 * client are not charged to the cloud's CPU. Reads the event bodies (a JSON array file), prints
 * `ready`, waits for a line on stdin, posts them C at a time over keep-alive HTTP like Stripe,
 * then prints one JSON line: the acknowledgement times (ms) or the first error.
 * Arguments: <url> <secret> <bodies.json> <concurrency>.
 */
const [url, secret, bodiesFile, concurrency] = process.argv.slice(2) as [string, string, string, string];
const bodies = JSON.parse(readFileSync(bodiesFile, 'utf8')) as string[];
process.stdout.write('ready\n');
await new Promise((resolve) => createInterface({ input: process.stdin }).once('line', resolve));

const ackMs: number[] = [];
let next = 0;
const worker = async () => {
  while (next < bodies.length) {
    const body = bodies[next++]!;
    const sentAt = performance.now();
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'stripe-signature': signatureHeader([secret], Math.floor(Date.now() / 1000), body),
      },
      body,
    });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`webhook answered ${res.status}: ${text}`);
    ackMs.push(performance.now() - sentAt);
  }
};
try {
  await Promise.all(Array.from({ length: Number(concurrency) }, worker));
  process.stdout.write(`${JSON.stringify({ ackMs })}\n`);
} catch (error) {
  process.stdout.write(`${JSON.stringify({ error: String(error) })}\n`);
}
