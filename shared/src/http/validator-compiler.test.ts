import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { typeboxValidatorCompiler } from './validator-compiler.js';

const Query = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1 })),
  ratio: Type.Optional(Type.Number()),
});
const validatorFor = (httpPart: string) => typeboxValidatorCompiler({ schema: Query, httpPart });
const run = (httpPart: string, input: unknown) =>
  validatorFor(httpPart)(input) as {
    value?: unknown;
    error?: Error & { validation: { instancePath: string }[] };
  };

describe('route validation of query strings', () => {
  it('reads integer and number text as numbers', () => {
    expect(run('querystring', { limit: '25', ratio: '0.5' }).value).toEqual({ limit: 25, ratio: 0.5 });
  });

  it('refuses integer text that is not plainly an integer, naming the field, instead of rounding it', () => {
    for (const limit of ['2.5', '0x10', ' 7 ', '1e2', '']) {
      const result = run('querystring', { limit });
      expect(result.error?.validation[0]?.instancePath, JSON.stringify(limit)).toBe('/limit');
    }
  });

  it('checks JSON bodies strictly: no text is converted', () => {
    expect(run('body', { limit: '25' }).error?.validation[0]?.instancePath).toBe('/limit');
    expect(run('body', { limit: 25 }).value).toEqual({ limit: 25 });
  });
});
