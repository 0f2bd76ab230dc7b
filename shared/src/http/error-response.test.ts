import { describe, expect, it } from 'vitest';
import { BookingTransitionError } from '../booking/booking-transition.error.js';
import { DomainError } from '../errors/domain-error.js';
import { ERROR_STATUS } from '../errors/error-codes.js';
import { DomainInputError } from '../model/domain-input.error.js';
import { routeNotFound, toErrorResponse } from './error-response.js';

describe('the one error envelope', () => {
  it('answers a domain error with its code, status, field and extra members', () => {
    const error = new DomainError('SLOT_UNAVAILABLE', 'bay 3 is taken at 18:00', {
      field: 'start_time',
      extra: { alternatives: [] },
    });
    expect(toErrorResponse(error)).toEqual({
      status: 409,
      body: {
        error: { code: 'SLOT_UNAVAILABLE', message: 'bay 3 is taken at 18:00', field: 'start_time' },
        alternatives: [],
      },
    });
  });

  it('gives every catalogue code its status', () => {
    for (const [code, status] of Object.entries(ERROR_STATUS)) {
      expect(toErrorResponse(new DomainError(code as keyof typeof ERROR_STATUS, 'x'))?.status, code).toBe(
        status,
      );
    }
  });

  it('answers domain input and transition errors as 400 and 409 naming the field', () => {
    expect(toErrorResponse(new DomainInputError('timezone', 'unknown zone'))).toEqual({
      status: 400,
      body: { error: { code: 'VALIDATION_FAILED', message: 'timezone: unknown zone', field: 'timezone' } },
    });
    const transition = toErrorResponse(new BookingTransitionError('cancelled', 'confirmed', 'no'));
    expect(transition?.status).toBe(409);
    expect(transition?.body.error).toEqual({ code: 'INVALID_STATE', message: 'no', field: 'status' });
  });

  it('answers schema failures as a 400 naming the field', () => {
    const schema = Object.assign(new Error('bad'), {
      validation: [
        {
          instancePath: '/customer',
          message: 'must have required property',
          params: { missingProperty: 'email' },
        },
      ],
      validationContext: 'body',
    });
    expect(toErrorResponse(schema)).toEqual({
      status: 400,
      body: {
        error: {
          code: 'VALIDATION_FAILED',
          message: 'customer.email must have required property',
          field: 'customer.email',
        },
      },
    });
    const query = Object.assign(new Error('bad'), {
      validation: [{ instancePath: '' }],
      validationContext: 'querystring',
    });
    expect(toErrorResponse(query)?.body.error.field).toBe('query');
  });

  it('maps framework client errors to catalogue codes and leaves anything else to a bare 500', () => {
    const framework = (statusCode: number) => Object.assign(new Error('framework says no'), { statusCode });
    expect(toErrorResponse(framework(415))?.body.error).toEqual({
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: 'framework says no',
      field: 'body',
    });
    expect(toErrorResponse(framework(400))?.body.error.code).toBe('BAD_REQUEST');
    expect(toErrorResponse(framework(413))?.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(toErrorResponse(framework(429))).toEqual({
      status: 429,
      body: { error: { code: 'RATE_LIMITED', message: 'framework says no' } },
    });
    expect(toErrorResponse(framework(500))).toBeNull();
    expect(toErrorResponse(new TypeError('boom'))).toBeNull();
    expect(toErrorResponse('text')).toBeNull();
  });

  it('answers an unknown route in the same envelope', () => {
    expect(routeNotFound('GET', '/nope')).toEqual({
      status: 404,
      body: { error: { code: 'NOT_FOUND', message: 'Route GET /nope not found' } },
    });
  });
});
