import { describe, expect, it } from 'vitest';
import { BLOCKED_PORTS, blockedPortReason } from './blocked-ports.js';

/** What Node's own fetch (undici, which follows the standard) says about a port: blocked or not. */
async function fetchRefuses(port: number): Promise<boolean> {
  try {
    await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2_000) });
    return false;
  } catch (error) {
    return String((error as { cause?: { message?: string } }).cause?.message) === 'bad port';
  }
}

describe('blocked ports', () => {
  it('are exactly the ports Node’s fetch refuses, checked against it on this machine', async () => {
    const neighbours = [...BLOCKED_PORTS].map((p) => p + 1).filter((p) => !BLOCKED_PORTS.has(p));
    const refused = await Promise.all([...BLOCKED_PORTS].map(fetchRefuses));
    const allowed = await Promise.all([...neighbours, 80, 3000, 4100, 8080].map(fetchRefuses));
    expect(refused.every(Boolean)).toBe(true);
    expect(allowed.some(Boolean)).toBe(false);
  });

  it('say which port and why', () => {
    expect(blockedPortReason(4190)).toMatch(/^port 4190 is on the fetch standard's list of blocked ports/);
    expect(blockedPortReason(4100)).toBeNull();
    expect(blockedPortReason(0)).toBeNull();
  });
});
