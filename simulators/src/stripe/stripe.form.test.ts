import { describe, expect, it } from 'vitest';
import { StripeApiError } from './stripe.errors.js';
import { parseStripeForm } from './stripe.form.js';
import { arr, bool, int, metadata, obj, required, str, validateParams } from './stripe.params.js';

function failure(work: () => unknown): Record<string, unknown> {
  try {
    work();
  } catch (error) {
    if (error instanceof StripeApiError) return { status: error.statusCode, ...error.errorObject() };
    throw error;
  }
  throw new Error('expected a Stripe error');
}

describe('parseStripeForm', () => {
  it('nests brackets, escaped or not, and builds arrays from indexes and from []', () => {
    const parsed = parseStripeForm(
      'metadata[booking]=b%201&line_items[0][price_data][unit_amount]=500&line_items%5B1%5D%5Bquantity%5D=2' +
        '&expand[]=a&expand[]=b&types[1]=y&types[0]=x&flag=true&empty=',
    );
    expect(parsed).toEqual({
      metadata: { booking: 'b 1' },
      line_items: [{ price_data: { unit_amount: '500' } }, { quantity: '2' }],
      expand: ['a', 'b'],
      types: ['x', 'y'],
      flag: 'true',
      empty: '',
    });
  });

  it('refuses a malformed name and a key that is both a value and an object', () => {
    expect(failure(() => parseStripeForm('a]b[=1'))).toMatchObject({ status: 400, param: 'a]b[' });
    expect(failure(() => parseStripeForm('a=1&a[b]=2'))).toMatchObject({ param: 'a' });
  });
});

describe('validateParams', () => {
  const fields = {
    amount: required(int(1)),
    confirm: bool(),
    description: str(10),
    metadata: metadata(),
    line_items: arr(obj({ quantity: required(int(1)) })),
  };

  it('converts integers and booleans, and turns an empty value into null (unset)', () => {
    const parsed = validateParams(
      fields,
      parseStripeForm('amount=2500&confirm=false&description=&metadata[a]=&metadata[b]=x'),
    );
    expect(parsed).toEqual({
      amount: 2500,
      confirm: false,
      description: null,
      metadata: { a: null, b: 'x' },
    });
  });

  it('names the parameter, nested in brackets, of every refusal', () => {
    expect(failure(() => validateParams(fields, parseStripeForm('amount=2500&colour=red')))).toMatchObject({
      status: 400,
      type: 'invalid_request_error',
      code: 'parameter_unknown',
      param: 'colour',
      message: 'Received unknown parameter: colour',
    });
    expect(failure(() => validateParams(fields, parseStripeForm('confirm=true')))).toMatchObject({
      code: 'parameter_missing',
      param: 'amount',
    });
    expect(failure(() => validateParams(fields, parseStripeForm('amount=12.5')))).toMatchObject({
      code: 'parameter_invalid_integer',
      param: 'amount',
      message: 'Invalid integer: 12.5',
    });
    expect(failure(() => validateParams(fields, parseStripeForm('amount=1&confirm=yes')))).toMatchObject({
      param: 'confirm',
    });
    expect(
      failure(() => validateParams(fields, parseStripeForm('amount=1&line_items[0][colour]=1'))),
    ).toMatchObject({
      param: 'line_items[0][colour]',
    });
    expect(
      failure(() => validateParams(fields, parseStripeForm('amount=1&line_items[0][quantity]=0'))),
    ).toMatchObject({
      param: 'line_items[0][quantity]',
    });
    expect(
      failure(() => validateParams(fields, parseStripeForm('amount=1&description=far+too+long'))),
    ).toMatchObject({
      param: 'description',
    });
    expect(
      failure(() => validateParams(fields, parseStripeForm(`amount=1&metadata[k]=${'v'.repeat(501)}`))),
    ).toMatchObject({
      param: 'metadata[k]',
    });
  });
});
