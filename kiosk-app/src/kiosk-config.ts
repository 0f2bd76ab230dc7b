import { readFile } from 'node:fs/promises';

/** The kiosk's config file (JSON), written by whoever installs the kiosk. */
export interface KioskConfig {
  /** The edge's LAN address, e.g. `http://10.0.0.5:8080` (no trailing slash). */
  edgeUrl: string;
  /** This kiosk's device key, issued by a manager (`POST /api/v1/kiosks`). */
  deviceKey: string;
  /** Seconds without a touch before the renderer returns to the welcome screen. */
  idleSeconds: number;
}

export class KioskConfigError extends Error {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`kiosk config: ${field} ${reason}`);
  }
}

function field(raw: Record<string, unknown>, name: string): unknown {
  return raw[name];
}

/** Validates parsed JSON; every problem names the field and why (the installer reads this). */
export function parseKioskConfig(raw: unknown): KioskConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new KioskConfigError('(file)', 'must be a JSON object');
  }
  const obj = raw as Record<string, unknown>;
  const edge = field(obj, 'edge_url');
  if (typeof edge !== 'string' || edge === '') throw new KioskConfigError('edge_url', 'is required');
  let url: URL;
  try {
    url = new URL(edge);
  } catch {
    throw new KioskConfigError('edge_url', `is not a URL: ${JSON.stringify(edge)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new KioskConfigError('edge_url', `must be http or https, not ${url.protocol}`);
  }
  const key = field(obj, 'device_key');
  if (typeof key !== 'string' || key.trim().length < 16) {
    throw new KioskConfigError('device_key', 'is required (the key a manager issued for this kiosk)');
  }
  const idle = field(obj, 'idle_seconds') ?? 60;
  if (typeof idle !== 'number' || !Number.isInteger(idle) || idle < 10 || idle > 3600) {
    throw new KioskConfigError('idle_seconds', 'must be a whole number of seconds between 10 and 3600');
  }
  return { edgeUrl: url.origin + url.pathname.replace(/\/+$/, ''), deviceKey: key.trim(), idleSeconds: idle };
}

export async function loadKioskConfig(path: string): Promise<KioskConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new KioskConfigError('(file)', `cannot be read at ${path}: ${(error as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new KioskConfigError('(file)', `is not valid JSON: ${(error as Error).message}`);
  }
  return parseKioskConfig(raw);
}
