import { parseArgs } from 'node:util';

export interface CommonCliOptions {
  port: number;
  host: string;
}

/**
 * Parses `--name value` flags for a simulator CLI. Unknown flags are an error naming the flag, so a
 * typo does not silently start a simulator with defaults.
 */
export function parseCliArgs(
  argv: string[],
  extra: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>,
): { common: CommonCliOptions; values: Record<string, string | boolean | string[] | boolean[] | undefined> } {
  const { values } = parseArgs({
    args: argv,
    options: { port: { type: 'string' }, host: { type: 'string' }, ...extra },
    strict: true,
  });
  const rawPort = values.port ?? '0';
  const port = Number(rawPort);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`--port must be an integer 0-65535, got "${String(rawPort)}"`);
  }
  return { common: { port, host: String(values.host ?? '127.0.0.1') }, values };
}

export function intFlag(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0)
    throw new Error(`--${name} must be a non-negative integer, got "${String(value)}"`);
  return parsed;
}
