import { cardForNumber } from './stripe.cards.js';
import type { SimContext } from './stripe.context.js';
import { invalidRequest, StripeApiError } from './stripe.errors.js';
import type { PaymentIntents } from './stripe.payment-intents.js';
import { mergeMetadata, type PaymentMethods } from './stripe.payment-methods.js';
import { newId, randomToken } from './stripe.store.js';
import type { Location, Reader } from './stripe.types.js';

/**
 * Server-driven Terminal with simulated readers (registration codes `simulated-wpe`,
 * `simulated-s700`): `process_payment_intent` puts an in-progress action on the reader, the test
 * helper `present_payment_method` taps a card (a decline test number fails the action), and the
 * result arrives as `terminal.reader.action_succeeded|action_failed`. A reader does one thing at a
 * time (`terminal_reader_busy`); the control API can take it offline or make it time out.
 */
const GUIDE =
  'Please reference the integration guide at https://stripe.com/docs/terminal/payments/collect-payment?terminal-sdk-platform=server-driven#handle-errors for details on how to handle this error.';

const readerError = (code: string, message: string) =>
  new StripeApiError(400, 'invalid_request_error', `${message} ${GUIDE}`, { code });

const DEVICE_TYPES: Record<string, Reader['device_type']> = {
  'simulated-wpe': 'simulated_wisepos_e',
  'simulated-s700': 'simulated_stripe_s700',
};

export class Terminal {
  /** Commands that will fail with `terminal_reader_timeout`, per reader. */
  private readonly timeouts = new Map<string, number>();

  constructor(
    private readonly ctx: SimContext,
    private readonly pms: PaymentMethods,
    private readonly payments: PaymentIntents,
  ) {}

  createLocation(params: {
    display_name: string;
    address: Record<string, string | null>;
    metadata?: Record<string, string | null> | null;
  }): Location {
    const location: Location = {
      id: newId('tml', 14),
      object: 'terminal.location',
      address: {
        city: null,
        country: null,
        line1: null,
        line2: null,
        postal_code: null,
        state: null,
        ...params.address,
      },
      display_name: params.display_name,
      livemode: false,
      metadata: mergeMetadata({}, params.metadata),
    };
    return this.ctx.store.locations.insert(location);
  }

  createReader(params: {
    registration_code: string;
    label?: string | null;
    location?: string | null;
    metadata?: Record<string, string | null> | null;
  }): Reader {
    const deviceType = DEVICE_TYPES[params.registration_code];
    if (!deviceType)
      throw invalidRequest(
        `The registration code "${params.registration_code}" is not valid. The simulator registers simulated readers only (simulated-wpe, simulated-s700).`,
        'registration_code',
      );
    if (params.location) this.ctx.store.locations.require(params.location, 'location');
    const serial = `${params.registration_code}-${randomToken(12).toLowerCase()}`;
    const reader: Reader = {
      id: newId('tmr', 14),
      object: 'terminal.reader',
      action: null,
      device_sw_version: '',
      device_type: deviceType,
      ip_address: '0.0.0.0',
      label: params.label ?? serial,
      last_seen_at: this.ctx.nowMs(),
      livemode: false,
      location: params.location ?? null,
      metadata: mergeMetadata({}, params.metadata),
      serial_number: serial,
      status: 'online',
    };
    return this.ctx.store.readers.insert(reader);
  }

  processPaymentIntent(reader: Reader, paymentIntentId: string): Reader {
    this.ready(reader);
    const pi = this.ctx.store.paymentIntents.require(paymentIntentId, 'payment_intent');
    if (!pi.payment_method_types.includes('card_present'))
      throw invalidRequest(
        `PaymentIntent ${pi.id} cannot be processed on a reader: its payment_method_types must include card_present.`,
        'payment_intent',
      );
    if (pi.status !== 'requires_payment_method' && pi.status !== 'requires_confirmation')
      throw new StripeApiError(
        400,
        'invalid_request_error',
        `PaymentIntent ${pi.id} has a status of ${pi.status}; a reader can only process a PaymentIntent in requires_payment_method.`,
        { code: 'intent_invalid_state', param: 'payment_intent' },
      );
    reader.action = {
      type: 'process_payment_intent',
      status: 'in_progress',
      process_payment_intent: { payment_intent: pi.id },
      failure_code: null,
      failure_message: null,
    };
    return reader;
  }

  /** The test helper: a card tapped on the reader settles its in-progress action. */
  presentPaymentMethod(
    reader: Reader,
    params: {
      card_present?: { number?: string | null } | null;
      amount_tip?: number | null;
      type?: string | null;
    },
  ): Reader {
    if (reader.status === 'offline')
      throw readerError(
        'terminal_reader_offline',
        'Reader is currently offline, please ensure the reader is powered on and connected to the internet before retrying your request.',
      );
    const action = reader.action;
    if (action?.status !== 'in_progress')
      throw invalidRequest(`Reader ${reader.id} has no in-progress action to present a payment method to.`);
    const number = params.card_present?.number ?? '4242424242424242';
    const card = cardForNumber(number);
    if (!card) throw invalidRequest(`Invalid card number: ${number}`, 'card_present[number]');
    const pi = this.ctx.store.paymentIntents.require(action.process_payment_intent.payment_intent);
    if (params.amount_tip) {
      // A tip replaces the one of an earlier, declined tap rather than adding to it.
      pi.amount += params.amount_tip - (pi.amount_details.tip.amount ?? 0);
      pi.amount_details = { tip: { amount: params.amount_tip } };
    }
    const pm = this.pms.fromCard(card, 'card_present');
    try {
      this.payments.attempt(pi, pm, { inPerson: true });
    } catch (error) {
      if (!(error instanceof StripeApiError) || error.statusCode !== 402) throw error;
      return this.settle(reader, {
        failure_code: error.fields.code ?? 'card_declined',
        failure_message: error.message,
      });
    }
    return this.settle(reader, null);
  }

  cancelAction(reader: Reader): Reader {
    this.ready(reader, true);
    if (reader.action?.status !== 'in_progress')
      throw invalidRequest(`Reader ${reader.id} has no in-progress action to cancel.`);
    reader.action = {
      ...reader.action,
      status: 'failed',
      failure_code: 'canceled',
      failure_message: 'The action was canceled.',
    };
    return reader;
  }

  /** The customer pressed cancel on the reader (control API). */
  customerCancel(reader: Reader): Reader {
    if (reader.action?.status !== 'in_progress')
      throw new RangeError(`reader ${reader.id} has no in-progress action`);
    return this.settle(reader, {
      failure_code: 'customer_canceled',
      failure_message: 'The customer canceled the action on the reader.',
    });
  }

  setStatus(reader: Reader, status: Reader['status']): Reader {
    reader.status = status;
    if (status === 'online') reader.last_seen_at = this.ctx.nowMs();
    return reader;
  }

  failNextCommands(reader: Reader, count: number): void {
    this.timeouts.set(reader.id, (this.timeouts.get(reader.id) ?? 0) + count);
  }

  update(
    reader: Reader,
    params: { label?: string | null; metadata?: Record<string, string | null> | null },
  ): Reader {
    if (params.label) reader.label = params.label;
    reader.metadata = mergeMetadata(reader.metadata, params.metadata);
    return reader;
  }

  private ready(reader: Reader, canceling = false): void {
    if (reader.status === 'offline')
      throw readerError(
        'terminal_reader_offline',
        'Reader is currently offline, please ensure the reader is powered on and connected to the internet before retrying your request.',
      );
    const timeouts = this.timeouts.get(reader.id) ?? 0;
    if (timeouts > 0) {
      this.timeouts.set(reader.id, timeouts - 1);
      throw readerError(
        'terminal_reader_timeout',
        'There was a timeout when sending this command to the reader.',
      );
    }
    if (!canceling && reader.action?.status === 'in_progress')
      throw readerError('terminal_reader_busy', 'Reader is currently busy processing another request.');
  }

  private settle(reader: Reader, failure: { failure_code: string; failure_message: string } | null): Reader {
    const action = reader.action;
    if (!action) return reader;
    reader.action = failure
      ? { ...action, status: 'failed', ...failure }
      : { ...action, status: 'succeeded' };
    this.ctx.events.emit(
      failure ? 'terminal.reader.action_failed' : 'terminal.reader.action_succeeded',
      reader,
    );
    return reader;
  }
}
