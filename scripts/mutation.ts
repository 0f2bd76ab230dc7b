/**
 * `npm run mutation`: Stryker on every package in scope, one after another (never in parallel:
 * the machine is shared), with its progress on the terminal; then bench/mutation.md, the score
 * per module. `npm run mutation -- edge` runs only that package; `--mutate <file>` narrows Stryker
 * to one file while iterating. `--incremental` re-tests only what changed since the committed
 * incremental files; `--check` (CI) does that and writes no table. All fail when a module in scope
 * is under the bar. `--from-report` scores the report of a Stryker run started by hand.
 * See docs/mutation-testing.md.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { benchMarkdown, type PackageRun } from './mutation/bench-table.js';
import { changedSince, readRecordedRun } from './mutation/recorded-run.js';
import {
  BAR_PERCENT,
  type EquivalentMutant,
  formatScore,
  type ModuleScore,
  type StrykerReport,
  scoreModules,
  underBar,
} from './mutation/score.js';

const root = join(import.meta.dirname, '..');
const PACKAGES = ['shared', 'edge', 'cloud'].filter((pkg) =>
  existsSync(join(root, pkg, 'stryker.config.mjs')),
);

const args = process.argv.slice(2).filter((arg) => arg !== '--');
const check = args.includes('--check');
const incremental = check || args.includes('--incremental');
// Scores a report Stryker already wrote (a run started by hand) instead of running it again.
const fromReport = args.includes('--from-report');
const mutateAt = args.indexOf('--mutate');
const mutate = mutateAt >= 0 ? args[mutateAt + 1] : undefined;
const named = args.filter((arg, i) => !arg.startsWith('--') && (mutateAt < 0 || i !== mutateAt + 1));
const selected = named.length === 0 ? PACKAGES : PACKAGES.filter((pkg) => named.includes(pkg));
if (selected.length === 0) {
  process.stderr.write(`no package in scope matches ${named.join(' ')}; known: ${PACKAGES.join(', ')}\n`);
  process.exit(2);
}

const equivalents = JSON.parse(
  readFileSync(join(root, 'scripts/mutation/equivalent-mutants.json'), 'utf8'),
) as EquivalentMutant[];
const load = () => loadavg()[0]!.toFixed(2);
const machine = `${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB RAM`;

/** The modules the committed incremental results hold. */
function recordedModules(pkg: string): string[] {
  return Object.keys(readRecordedRun(join(root, `bench/mutation-incremental-${pkg}.json`))?.files ?? {});
}

/** The modules in scope of a package: its Stryker config's `mutate` list. */
async function scopeOf(pkg: string): Promise<string[]> {
  const config = (await import(pathToFileURL(join(root, pkg, 'stryker.config.mjs')).href)) as {
    default: { mutate: string[] };
  };
  return config.default.mutate;
}

/** Prints a package's scores; false when a module is under the bar. */
function printScores(pkg: string, scores: ModuleScore[], where: string): boolean {
  for (const s of scores) process.stdout.write(`[mutation] ${formatScore(s.score).padStart(8)}  ${s.file}\n`);
  const under = underBar(scores);
  for (const s of under) {
    process.stderr.write(`[mutation] ${s.file}: ${formatScore(s.score)} is under the ${BAR_PERCENT} % bar\n`);
  }
  process.stdout.write(
    `[mutation] ${pkg}: ${under.length === 0 ? 'every module at or above the bar' : `${under.length} under the bar`} (${where})\n`,
  );
  return under.length === 0;
}

let failed = false;
for (const [i, pkg] of selected.entries()) {
  process.stdout.write(
    `\n[mutation ${i + 1}/${selected.length}] ${pkg}${check ? ' (incremental check)' : ''}\n`,
  );
  if (check) {
    const recorded = readRecordedRun(join(root, `bench/mutation-incremental-${pkg}.json`));
    // Without committed results the check would be a full run, far past CI's budget.
    if (recorded === null) {
      process.stdout.write(`[mutation] ${pkg}: no committed incremental results yet; not checked\n`);
      continue;
    }
    // The check guards what has been recorded; a module in scope not yet recorded waits for a
    // whole run (a full run of a package is far past CI's budget).
    const recordedFiles = Object.keys(recorded.files);
    const waiting = (await scopeOf(pkg)).filter((file) => !recordedFiles.includes(file));
    if (waiting.length > 0) {
      process.stdout.write(`[mutation] ${pkg}: not recorded yet, not checked: ${waiting.join(', ')}\n`);
    }
    const changed = changedSince(recorded, root, []);
    if (changed.length === 0) {
      // Nothing Stryker would re-test: the recorded results stand, without a dry run.
      if (!printScores(pkg, scoreModules(recorded, equivalents), 'recorded')) failed = true;
      continue;
    }
    process.stdout.write(`[mutation] ${pkg}: changed since the recorded run: ${changed.join(', ')}\n`);
  }
  const started = Date.now();
  const loadBefore = load();
  const strykerArgs = ['stryker', 'run', `${pkg}/stryker.config.mjs`];
  // A full run tests every mutant again; the check reuses the committed incremental results.
  if (!incremental && mutate === undefined) strykerArgs.push('--force');
  if (check) strykerArgs.push('--mutate', recordedModules(pkg).join(','));
  // One file while iterating: its results must not replace the committed incremental file.
  if (mutate !== undefined) {
    strykerArgs.push('--mutate', mutate, '--incrementalFile', `reports/mutation/${pkg}/iterate.json`);
  }
  const reportFile = join(root, 'reports/mutation', pkg, 'mutation.json');
  if (!fromReport) {
    rmSync(reportFile, { force: true });
    const run = spawnSync('npx', strykerArgs, { cwd: root, stdio: 'inherit' });
    if (!existsSync(reportFile) || (run.status !== 0 && run.status !== 1)) {
      process.stderr.write(`[mutation] ${pkg}: Stryker failed (exit ${run.status}) without a report\n`);
      failed = true;
      continue;
    }
  }
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as StrykerReport & {
    performance?: { setup: number; initialRun: number; mutation: number };
  };
  const scores = scoreModules(report, equivalents);
  // From a report: Stryker's own timings, ending when it wrote the file; the load was not seen.
  const took = report.performance
    ? (report.performance.setup + report.performance.initialRun + report.performance.mutation) / 1000
    : 0;
  const result: PackageRun = {
    pkg,
    startedAt: new Date(fromReport ? statSync(reportFile).mtimeMs - took * 1000 : started).toISOString(),
    durationS: fromReport ? took : (Date.now() - started) / 1000,
    machine,
    loadBefore: fromReport ? 'not recorded' : loadBefore,
    loadAfter: fromReport ? 'not recorded' : load(),
    node: process.version,
    mode: incremental ? 'incremental' : 'full',
    scores,
    notRun: (await scopeOf(pkg)).filter((file) => !scores.some((s) => s.file === file)),
  };
  mkdirSync(join(root, 'reports/mutation', pkg), { recursive: true });
  if (!check && (mutate === undefined || fromReport)) {
    writeFileSync(join(root, 'reports/mutation', pkg, 'run.json'), JSON.stringify(result, null, 2));
  }
  if (!printScores(pkg, scores, `reports/mutation/${pkg}/index.html`)) failed = true;
}

// The table shows each package's last whole run; a check or a one-file run does not rewrite it.
if (!check && (mutate === undefined || fromReport)) {
  const runFile = (pkg: string) => join(root, 'reports/mutation', pkg, 'run.json');
  const runs = PACKAGES.filter((pkg) => existsSync(runFile(pkg))).map(
    (pkg) => JSON.parse(readFileSync(runFile(pkg), 'utf8')) as PackageRun,
  );
  const notRun = PACKAGES.filter((pkg) => !existsSync(runFile(pkg)));
  writeFileSync(join(root, 'bench/mutation.md'), benchMarkdown(runs, BAR_PERCENT, notRun));
  process.stdout.write('[mutation] table: bench/mutation.md\n');
}
process.exit(failed ? 1 : 0);
