import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * What the demo must remember between starts because the systems show it only once: the edge's
 * key (the cloud keeps only its hash), the kiosk's device key and the MQTT devices' passwords (the
 * edge keeps only hashes). Kept in the data folder beside the databases, so `--reset` forgets it
 * with them.
 */
export interface DemoState {
  facilityId?: string;
  edge?: { id: string; key: string; accessPublicKey: string };
  kioskKey?: string;
  devices?: Record<string, { password: string; kind: 'bay_pc' | 'door_scanner'; target_id: string }>;
}

export interface DemoStateFile {
  readonly path: string;
  read(): DemoState;
  update(change: (state: DemoState) => void): DemoState;
}

export function demoStateFile(dataDir: string): DemoStateFile {
  const path = join(dataDir, 'demo-state.json');
  const read = (): DemoState =>
    existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as DemoState) : {};
  return {
    path,
    read,
    update(change) {
      const state = read();
      change(state);
      mkdirSync(dirname(path), { recursive: true });
      // Written whole then renamed: a Ctrl-C half-way must not leave a file the next start cannot read.
      writeFileSync(`${path}.tmp`, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
      renameSync(`${path}.tmp`, path);
      return state;
    },
  };
}
