import { execFile } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './env-vars.js';

export interface ScriptResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a deploy/backup script asynchronously (the test process keeps serving its fake cloud) with
 * only the environment given, plus PATH and HOME.
 */
export function runScript(
  name: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<ScriptResult> {
  return new Promise((resolve) => {
    execFile(
      path.join(REPO_ROOT, 'deploy', 'backup', name),
      args,
      {
        cwd: REPO_ROOT,
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...env },
        timeout: 120_000,
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** The file a backup script reports as written (`… wrote <path> …`). */
export function writtenFile(result: ScriptResult): string {
  const match = /wrote (\S+?):? /.exec(`${result.stdout}\n${result.stderr}`);
  if (!match) throw new Error(`no "wrote" line in:\n${result.stdout}\n${result.stderr}`);
  return match[1]!;
}
