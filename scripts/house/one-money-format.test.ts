import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Every face prints money with the shared `formatMoney` (`shared/src/pricing/money.test.ts`: '-$4.50',
 * never "$-4.50" or "−$4.50"): no web app turns cents into dollars text by hand.
 */
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WEB_APPS = ['cloud/web', 'edge/web', 'kiosk-app/renderer'];
const HAND_MADE_MONEY = /\/\s*100\s*\)?\s*\.toFixed\(|\$\$\{/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory())
      return entry.name === 'node_modules' || entry.name === 'dist' ? [] : sources(full);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

describe('one money format', () => {
  it.each(WEB_APPS)('%s formats no amount by hand and uses formatMoney', (app) => {
    const files = sources(path.join(REPO_ROOT, app));
    const handMade = files
      .filter((f) => HAND_MADE_MONEY.test(readFileSync(f, 'utf8')))
      .map((f) => path.relative(REPO_ROOT, f));
    expect(handMade).toEqual([]);
    expect(files.some((f) => readFileSync(f, 'utf8').includes('formatMoney'))).toBe(true);
  });
});
