import { describe, expect, it } from 'vitest';
import { DomainError } from './domain-error.js';

describe('DomainError', () => {
  it('carries its code, field and extra members', () => {
    const error = new DomainError('SLOT_UNAVAILABLE', 'taken', {
      field: 'start_time',
      extra: { alternatives: [] },
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('DomainError');
    expect(error.code).toBe('SLOT_UNAVAILABLE');
    expect(error.field).toBe('start_time');
    expect(error.extra).toEqual({ alternatives: [] });
  });

  it('captures no stack frames for a refusal (4xx), which is never logged with one', () => {
    const stack = new DomainError('SLOT_UNAVAILABLE', 'taken').stack ?? '';
    expect(stack.split('\n').filter((line) => line.trim().startsWith('at '))).toEqual([]);
  });

  it('keeps the stack of a fault (5xx) and leaves the process-wide stack limit as it was', () => {
    const before = Error.stackTraceLimit;
    new DomainError('VALIDATION_FAILED', 'bad');
    expect(Error.stackTraceLimit).toBe(before);
    expect(new DomainError('NOT_READY', 'not yet').stack).toMatch(/\n\s+at /);
    expect(new Error('plain').stack).toMatch(/\n\s+at /);
  });
});
