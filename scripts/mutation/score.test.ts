import { describe, expect, it } from 'vitest';
import { type EquivalentMutant, type StrykerReport, scoreModules, totals, underBar } from './score.js';

const mutant = (status: string, line = 1, mutatorName = 'EqualityOperator', replacement = 'a < b') => ({
  id: `${status}-${line}`,
  mutatorName,
  replacement,
  status,
  location: { start: { line, column: 1 } },
});

const report: StrykerReport = {
  files: {
    'edge/src/doors/door-access.service.ts': {
      mutants: [
        ...Array.from({ length: 8 }, () => mutant('Killed')),
        mutant('Timeout'),
        mutant('Survived', 12, 'ConditionalExpression', 'true'),
        mutant('CompileError'),
      ],
    },
    'shared/src/pricing/money.ts': {
      mutants: [mutant('Killed'), mutant('NoCoverage', 7), mutant('Survived', 9, 'StringLiteral', '""')],
    },
    'shared/src/empty.ts': { mutants: [mutant('CompileError')] },
  },
};

describe('mutation score per module', () => {
  it('is killed ÷ (killed + survived + no coverage), a timeout counting as killed, errors counting nowhere', () => {
    const [door] = scoreModules(report, []);
    expect(door).toMatchObject({ killed: 8, timeout: 1, survived: 1, errors: 1, score: 90 });
    expect(door?.survivors).toEqual([
      { line: 12, mutator: 'ConditionalExpression', replacement: 'true', status: 'Survived' },
    ]);
  });

  it('takes a listed equivalent out of the denominator and shows it apart', () => {
    const equivalents: EquivalentMutant[] = [
      {
        file: 'shared/src/pricing/money.ts',
        line: 9,
        mutator: 'StringLiteral',
        replacement: '""',
        reason: 'x',
      },
      // Same line, other replacement: not this mutant.
      {
        file: 'shared/src/pricing/money.ts',
        line: 7,
        mutator: 'EqualityOperator',
        replacement: 'a <= b',
        reason: 'y',
      },
    ];
    const money = scoreModules(report, equivalents).find((s) => s.file === 'shared/src/pricing/money.ts');
    expect(money).toMatchObject({ killed: 1, noCoverage: 1, survived: 0, equivalent: 1, score: 50 });
  });

  it('flags modules under the bar, never one without scorable mutants, and sums the totals', () => {
    const scores = scoreModules(report, []);
    expect(scores.find((s) => s.file === 'shared/src/empty.ts')?.score).toBeNull();
    expect(underBar(scores).map((s) => s.file)).toEqual(['shared/src/pricing/money.ts']);
    expect(underBar(scores, 33)).toEqual([]);
    expect(totals(scores)).toMatchObject({ killed: 9, timeout: 1, survived: 2, noCoverage: 1, errors: 2 });
    expect(totals(scores).score).toBeCloseTo((100 * 10) / 13);
  });
});
