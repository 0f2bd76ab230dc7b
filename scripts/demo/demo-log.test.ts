import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { demoLogStream } from './demo-log.js';

describe('demo log lines', () => {
  it('are for a person to read: time, level and message on one line, not JSON', () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (chunk) => {
      text += chunk;
    });
    // A line exactly as pino (Fastify's logger) writes it to its stream.
    const pinoLine = { level: 40, time: Date.now(), pid: 1, hostname: 'edge', msg: 'bay PC offline', bay: 3 };
    demoLogStream(out).write(`${JSON.stringify(pinoLine)}\n`);
    expect(text).toMatch(/^\[\d\d:\d\d:\d\d\] WARN: bay PC offline \{"bay":3\}\n$/);
    expect(() => JSON.parse(text)).toThrow();
  });
});
