import { DomainError } from '../errors/domain-error.js';

/**
 * Bad input to a pure domain function (unknown zone, malformed 'HH:MM', negative duration…): a
 * VALIDATION_FAILED that names `field` and `reason`, answered as a 400, never a 500.
 */
export class DomainInputError extends DomainError {
  declare readonly field: string;

  constructor(
    field: string,
    readonly reason: string,
  ) {
    super('VALIDATION_FAILED', `${field}: ${reason}`, { field });
    this.name = 'DomainInputError';
  }
}
