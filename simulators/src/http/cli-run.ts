import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Prints the one JSON line a parent process (demo, tests) reads to learn the URL and credentials,
 * then closes the simulator and exits on SIGINT or SIGTERM.
 */
export function announceListening(line: Record<string, unknown>, sim: { close(): Promise<void> }): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
  const stop = () => void sim.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/**
 * Runs a simulator CLI when its file is the process entry point (`tsx …/x.cli.ts`), not when
 * `clubos-sim` imports it; a failure prints `<label>: <message>` and exits 1.
 */
export function runWhenEntryPoint(
  moduleUrl: string,
  label: string,
  run: (argv: string[]) => Promise<void>,
): void {
  if (process.argv[1] === undefined || moduleUrl !== pathToFileURL(resolve(process.argv[1])).href) return;
  run(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`${label}: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
