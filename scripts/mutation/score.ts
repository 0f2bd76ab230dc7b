/**
 * Mutation scores as issue #22 defines them (docs/mutation-testing.md): per module (file),
 * killed ÷ (killed + survived + no coverage). A timeout counts as killed (the tests noticed: the
 * mutant hung them); compile and runtime errors are not mutants a test could see and count nowhere.
 * A survivor listed in `equivalent-mutants.json` is shown apart and leaves the denominator.
 */

/** The part of Stryker's mutation-testing-report-schema (mutation.json) read here. */
export interface StrykerReport {
  files: Record<
    string,
    {
      mutants: {
        id: string;
        mutatorName: string;
        replacement?: string;
        status: string;
        location: { start: { line: number; column: number } };
      }[];
    }
  >;
}

/** One mutant judged equivalent by a reader: no test can tell it from the original. */
export interface EquivalentMutant {
  file: string;
  line: number;
  mutator: string;
  replacement: string;
  reason: string;
}

export interface ModuleScore {
  file: string;
  killed: number;
  timeout: number;
  survived: number;
  noCoverage: number;
  equivalent: number;
  /** Compile or runtime errors: not counted in the score. */
  errors: number;
  /** Percent, or null when the module has no scorable mutant. */
  score: number | null;
  survivors: { line: number; mutator: string; replacement: string; status: string }[];
}

export const BAR_PERCENT = 90;

const normalise = (path: string) => path.replaceAll('\\', '/').replace(/^\.\//, '');

export function isEquivalent(
  equivalents: readonly EquivalentMutant[],
  file: string,
  mutant: { mutatorName: string; replacement?: string; location: { start: { line: number } } },
): EquivalentMutant | undefined {
  return equivalents.find(
    (e) =>
      normalise(e.file) === normalise(file) &&
      e.line === mutant.location.start.line &&
      e.mutator === mutant.mutatorName &&
      e.replacement === (mutant.replacement ?? ''),
  );
}

export function scoreModules(report: StrykerReport, equivalents: readonly EquivalentMutant[]): ModuleScore[] {
  return Object.entries(report.files)
    .map(([path, file]) => {
      const row: ModuleScore = {
        file: normalise(path),
        killed: 0,
        timeout: 0,
        survived: 0,
        noCoverage: 0,
        equivalent: 0,
        errors: 0,
        score: null,
        survivors: [],
      };
      for (const mutant of file.mutants) {
        const undetected = mutant.status === 'Survived' || mutant.status === 'NoCoverage';
        if (undetected && isEquivalent(equivalents, row.file, mutant)) {
          row.equivalent += 1;
          continue;
        }
        if (mutant.status === 'Killed') row.killed += 1;
        else if (mutant.status === 'Timeout') row.timeout += 1;
        else if (mutant.status === 'Survived') row.survived += 1;
        else if (mutant.status === 'NoCoverage') row.noCoverage += 1;
        else if (mutant.status === 'CompileError' || mutant.status === 'RuntimeError') row.errors += 1;
        if (undetected) {
          row.survivors.push({
            line: mutant.location.start.line,
            mutator: mutant.mutatorName,
            replacement: mutant.replacement ?? '',
            status: mutant.status,
          });
        }
      }
      const detected = row.killed + row.timeout;
      const total = detected + row.survived + row.noCoverage;
      row.score = total === 0 ? null : (100 * detected) / total;
      row.survivors.sort((a, b) => a.line - b.line);
      return row;
    })
    .sort((a, b) => a.file.localeCompare(b.file));
}

/** Modules under the bar (a module without scorable mutants is not under it). */
export function underBar(scores: readonly ModuleScore[], bar = BAR_PERCENT): ModuleScore[] {
  return scores.filter((s) => s.score !== null && s.score < bar);
}

export function totals(scores: readonly ModuleScore[]): Omit<ModuleScore, 'file' | 'survivors'> {
  const sum = (pick: (s: ModuleScore) => number) => scores.reduce((n, s) => n + pick(s), 0);
  const killed = sum((s) => s.killed);
  const timeout = sum((s) => s.timeout);
  const survived = sum((s) => s.survived);
  const noCoverage = sum((s) => s.noCoverage);
  const total = killed + timeout + survived + noCoverage;
  return {
    killed,
    timeout,
    survived,
    noCoverage,
    equivalent: sum((s) => s.equivalent),
    errors: sum((s) => s.errors),
    score: total === 0 ? null : (100 * (killed + timeout)) / total,
  };
}

export const formatScore = (score: number | null) => (score === null ? 'n/a' : `${score.toFixed(2)} %`);
