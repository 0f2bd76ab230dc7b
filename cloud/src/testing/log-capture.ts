import { Writable } from 'node:stream';

/** One line pino wrote: its numeric level (30 info, 40 warn, 50 error), message and the rest. */
export interface CapturedLine {
  level: number;
  msg?: string;
  err?: { type?: string; message?: string; stack?: string };
  [field: string]: unknown;
}

export interface LogCapture {
  /** Give to Fastify as `logger: { level, stream }`. */
  stream: Writable;
  lines(): CapturedLine[];
  /** Lines at error level or above. */
  errors(): CapturedLine[];
}

/** Collects a Fastify app's log lines in memory, so a test can assert what was (not) logged. */
export function captureLog(): LogCapture {
  const lines: CapturedLine[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const text of String(chunk).split('\n')) {
        if (text.trim() !== '') lines.push(JSON.parse(text) as CapturedLine);
      }
      done();
    },
  });
  return { stream, lines: () => [...lines], errors: () => lines.filter((l) => l.level >= 50) };
}
