/**
 * Bad input to a pure domain function (unknown zone, malformed 'HH:MM', negative duration…).
 * Services map it to an HTTP 400 that names `field` and `reason`, never a 500.
 */
export class DomainInputError extends Error {
  readonly code = 'INVALID_INPUT';

  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'DomainInputError';
  }
}
