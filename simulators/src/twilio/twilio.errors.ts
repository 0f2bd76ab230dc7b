/**
 * Twilio's REST error body, `{code, message, more_info, status}`, which the SDK turns into a
 * `RestException` with the same fields. Codes and wording from Twilio's error catalogue
 * (README.md beside this file lists the ones our cloud handles).
 */
export class TwilioApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'TwilioApiError';
  }

  body(): TwilioErrorBody {
    return twilioErrorBody(this.code, this.message, this.status);
  }
}

export interface TwilioErrorBody {
  code: number;
  message: string;
  more_info: string;
  status: number;
}

export function twilioErrorBody(code: number, message: string, status: number): TwilioErrorBody {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

/** Synchronous refusals of a create, by Twilio error code: HTTP status and message. */
const CATALOGUE: Record<number, { status: number; message: (value: string) => string }> = {
  20003: { status: 401, message: () => 'Authenticate' },
  20404: { status: 404, message: (path) => `The requested resource ${path} was not found` },
  20429: { status: 429, message: () => 'Too Many Requests' },
  20500: { status: 500, message: () => 'Internal Server Error' },
  20503: { status: 503, message: () => 'Service Unavailable' },
  21211: { status: 400, message: (to) => `Invalid 'To' Phone Number: ${to}` },
  21212: { status: 400, message: (from) => `Invalid 'From' Phone Number: ${from}` },
  21266: { status: 400, message: () => "'To' and 'From' number cannot be the same" },
  21408: {
    status: 400,
    message: (to) =>
      `Permission to send an SMS has not been enabled for the region indicated by the 'To' number: ${to}`,
  },
  21602: { status: 400, message: () => 'Message body is required.' },
  21603: { status: 400, message: () => "A 'From' phone number is required." },
  21604: { status: 400, message: () => "A 'To' phone number is required." },
  21606: {
    status: 400,
    message: (from) =>
      `The 'From' phone number provided (${from}) is not a valid message-capable Twilio phone number for this destination.`,
  },
  21609: { status: 400, message: (url) => `Invalid StatusCallback url: ${url}` },
  21610: { status: 400, message: () => 'Attempt to send to unsubscribed recipient' },
  21612: {
    status: 400,
    message: (to) =>
      `The 'To' phone number: ${to}, is not currently reachable using the 'From' phone number via SMS.`,
  },
  21614: { status: 400, message: (to) => `'To' number ${to} is not a valid mobile number` },
  21617: { status: 400, message: () => 'The concatenated message body exceeds the 1600 character limit.' },
  21620: { status: 400, message: (value) => `Invalid media URL(s): ${value}` },
  21701: { status: 400, message: (sid) => `The Messaging Service Sid ${sid} is invalid.` },
};

/** Codes a test may make a number refuse with (`reject` outcome); each has a catalogue entry. */
export const REJECTION_CODES = [21211, 21408, 21610, 21612, 21614] as const;

export function twilioError(code: number, value = ''): TwilioApiError {
  const entry = CATALOGUE[code];
  if (!entry) throw new RangeError(`no catalogue entry for Twilio error ${code}`);
  const headers: Record<string, string> =
    code === 20003 ? { 'www-authenticate': 'Basic realm="Twilio API"' } : {};
  return new TwilioApiError(entry.status, code, entry.message(value), headers);
}

/**
 * The body an injected fault answers with: Twilio's HTTP-level codes are 20000 + status (20404,
 * 20429, 20500, 20503), except 401, which is 20003.
 */
export function faultBody(status: number): TwilioErrorBody {
  if (status === 401) return twilioErrorBody(20003, 'Authenticate', 401);
  const reason = STATUS_TEXT[status] ?? (status >= 500 ? 'Internal Server Error' : 'Bad Request');
  return twilioErrorBody(20000 + status, reason, status);
}

const STATUS_TEXT: Record<number, string> = {
  403: 'Forbidden',
  404: 'The requested resource was not found',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/** Carrier errors a message reaches `failed`/`undelivered` with (asynchronously, in `error_code`). */
export const CARRIER_ERRORS: Record<number, string> = {
  30003: 'Unreachable destination handset',
  30005: 'Unknown destination handset',
  30006: 'Landline or unreachable carrier',
  30007: 'Message filtered',
  30008: 'Unknown error',
};
