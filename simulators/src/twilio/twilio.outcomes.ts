import { CARRIER_ERRORS, REJECTION_CODES } from './twilio.errors.js';

/**
 * What happens to a message sent to a given number: delivered (the default), refused at once with a
 * Twilio error (the API answers 400), or accepted and then lost by the carrier (`undelivered` or
 * `failed` with a 3000x `error_code` in the last status callback), or sent with no delivery
 * receipt ever (some carriers never confirm).
 */
export type Outcome =
  | { kind: 'delivered' }
  | { kind: 'no_receipt' }
  | { kind: 'reject'; code: number }
  | { kind: 'carrier_error'; status: 'undelivered' | 'failed'; errorCode: number };

/** Named outcomes the control API and the CLI accept besides the explicit forms. */
export const OUTCOME_PRESETS: Record<string, Outcome> = {
  delivered: { kind: 'delivered' },
  no_receipt: { kind: 'no_receipt' },
  unreachable: { kind: 'carrier_error', status: 'undelivered', errorCode: 30003 },
  unknown_handset: { kind: 'carrier_error', status: 'undelivered', errorCode: 30005 },
  landline: { kind: 'carrier_error', status: 'undelivered', errorCode: 30006 },
  filtered: { kind: 'carrier_error', status: 'undelivered', errorCode: 30007 },
  failed: { kind: 'carrier_error', status: 'failed', errorCode: 30008 },
  invalid: { kind: 'reject', code: 21211 },
  opted_out: { kind: 'reject', code: 21610 },
  region_disabled: { kind: 'reject', code: 21408 },
};

/**
 * Twilio's documented magic "To" numbers for test credentials
 * (twilio.com/docs/iam/test-credentials), so a test can reach each refusal without set-up.
 */
export const MAGIC_NUMBERS: Record<string, Outcome> = {
  '+15005550001': { kind: 'reject', code: 21211 },
  '+15005550002': { kind: 'reject', code: 21612 },
  '+15005550003': { kind: 'reject', code: 21408 },
  '+15005550004': { kind: 'reject', code: 21610 },
  '+15005550009': { kind: 'reject', code: 21614 },
};

/** Checks an outcome given as JSON (control API, options); throws a RangeError naming the field. */
export function parseOutcome(input: unknown): Outcome {
  if (typeof input === 'string') {
    const preset = OUTCOME_PRESETS[input];
    if (!preset) throw new RangeError(`outcome: one of ${Object.keys(OUTCOME_PRESETS).join(', ')}`);
    return preset;
  }
  if (typeof input !== 'object' || input === null) throw new RangeError('outcome: a name or an object');
  const o = input as Record<string, unknown>;
  if (o.kind === 'delivered' || o.kind === 'no_receipt') return { kind: o.kind };
  if (o.kind === 'reject') {
    if (!REJECTION_CODES.includes(o.code as (typeof REJECTION_CODES)[number]))
      throw new RangeError(`outcome.code: one of ${REJECTION_CODES.join(', ')}`);
    return { kind: 'reject', code: o.code as number };
  }
  if (o.kind === 'carrier_error') {
    if (o.status !== 'undelivered' && o.status !== 'failed')
      throw new RangeError('outcome.status: undelivered or failed');
    const code = o.errorCode;
    if (typeof code !== 'number' || CARRIER_ERRORS[code] === undefined)
      throw new RangeError(`outcome.errorCode: one of ${Object.keys(CARRIER_ERRORS).join(', ')}`);
    return { kind: 'carrier_error', status: o.status, errorCode: code };
  }
  throw new RangeError('outcome.kind: delivered, no_receipt, reject or carrier_error');
}

export class OutcomeTable {
  private byNumber = new Map<string, Outcome>();

  set(number: string, outcome: Outcome): void {
    this.byNumber.set(number, outcome);
  }

  delete(number: string): void {
    this.byNumber.delete(number);
  }

  resolve(number: string): Outcome {
    return this.byNumber.get(number) ?? MAGIC_NUMBERS[number] ?? { kind: 'delivered' };
  }

  list(): Record<string, Outcome> {
    return Object.fromEntries(this.byNumber);
  }

  clear(): void {
    this.byNumber.clear();
  }
}
