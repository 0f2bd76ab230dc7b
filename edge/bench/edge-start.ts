import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * How the memory benchmark starts the edge server: the way the systemd unit starts it (read from
 * `deploy/systemd/clubos-edge.service`, so the figure follows the unit when it changes), and the
 * alternatives measured beside it.
 */

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, '../..');
export const UNIT_FILE = path.join(ROOT, 'deploy/systemd/clubos-edge.service');

export interface EdgeStart {
  label: string;
  /** Node's arguments, relative to the repository root, e.g. `['--import', 'tsx', 'edge/src/server.ts']`. */
  args: string[];
  /** Environment the start sets on top of the venue's settings (the unit's `Environment=` lines). */
  env: Record<string, string>;
}

/** Splits a systemd command line or assignment list on blanks, honouring double and single quotes. */
function words(text: string): string[] {
  const out: string[] = [];
  const pattern = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) out.push(m[1] ?? m[2] ?? m[3]!);
  return out;
}

/**
 * The start a systemd unit describes: `ExecStart=` (the node binary dropped, its arguments kept) and
 * every `Environment=` assignment. `EnvironmentFile=` is the venue's own settings and is not read.
 */
export function startFromUnit(text: string, label = 'systemd unit'): EdgeStart {
  let args: string[] | null = null;
  const env: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#') || line.startsWith(';')) continue;
    const exec = /^ExecStart=\s*(.*)$/.exec(line);
    if (exec) {
      const command = words(exec[1]!.replace(/^[-@:+!]+/, ''));
      if (command.length < 2 || !/(^|\/)node$/.test(command[0]!)) {
        throw new Error(`ExecStart is not a node command: ${exec[1]}`);
      }
      args = command.slice(1);
      continue;
    }
    const assign = /^Environment=\s*(.*)$/.exec(line);
    if (assign) {
      for (const word of words(assign[1]!)) {
        const eq = word.indexOf('=');
        if (eq > 0) env[word.slice(0, eq)] = word.slice(eq + 1);
      }
    }
  }
  if (args === null) throw new Error('the unit has no ExecStart');
  return { label, args, env };
}

export function unitStart(): EdgeStart {
  return startFromUnit(readFileSync(UNIT_FILE, 'utf8'), 'systemd unit as committed');
}

/**
 * The compiled build (`npx tsc -b edge/tsconfig.build.json` → edge/dist/runtime): plain node, no loader
 * thread; the `clubos-build` condition makes `@clubos/shared` resolve to its compiled output too.
 */
export const COMPILED_ARGS = ['--conditions=clubos-build', 'edge/dist/runtime/server.js'];

/**
 * glibc keeps freed large blocks (scrypt's 16 MB, HTTP bodies, V8's compiler zones) in its arenas once
 * its mmap threshold has grown; pinning the threshold at its default returns them to the system.
 */
export const MALLOC_ENV = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' };

/** Builds edge/dist/runtime when a start runs it (incremental: quick when the build is current). */
export function ensureBuilt(start: EdgeStart): void {
  if (!start.args.some((a) => a.startsWith('edge/dist/runtime/'))) return;
  const tsc = path.join(ROOT, 'node_modules/typescript/bin/tsc');
  const run = spawnSync(process.execPath, [tsc, '-b', 'edge/tsconfig.build.json'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (run.status !== 0) throw new Error(`tsc -b edge/tsconfig.build.json failed (exit ${run.status})`);
}
