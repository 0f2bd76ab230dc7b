import type { FastifyInstance, FastifyReply } from 'fastify';
import type { CardForm, PayOutcome } from './stripe.checkout.js';
import { StripeApiError } from './stripe.errors.js';
import { checkoutPage, messagePage, money, threeDSecurePage } from './stripe.hosted-page.html.js';
import type { Services } from './stripe.services.js';
import type { CheckoutSession } from './stripe.types.js';

/**
 * The pages Stripe serves to people: the Checkout page at a session's `url` (card form; a decline is
 * shown and the form offered again; success redirects to `success_url` with
 * `{CHECKOUT_SESSION_ID}` filled in) and the 3-D Secure challenge (approve / deny) that a card
 * such as 4000 0027 6000 3184 needs. Changes made here belong to no API request.
 */
const AUTH_FAILED =
  'We are unable to authenticate your payment method. Please choose a different payment method and try again.';

type Form = Record<string, string>;

function parseForm(body: unknown): Form {
  return typeof body === 'string' ? Object.fromEntries(new URLSearchParams(body)) : {};
}

/** "MM / YY" (or MM/YYYY) → month and four-digit year, or an error message. */
function parseExpiry(raw: string, now: Date): { month: number; year: number } | string {
  const m = /^\s*(\d{1,2})\s*\/\s*(\d{2}|\d{4})\s*$/.exec(raw);
  if (!m) return "Your card's expiration date is incomplete.";
  const month = Number(m[1]);
  const year = (m[2] as string).length === 2 ? 2000 + Number(m[2]) : Number(m[2]);
  if (month < 1 || month > 12) return "Your card's expiration month is invalid.";
  if (year < now.getUTCFullYear() || (year === now.getUTCFullYear() && month < now.getUTCMonth() + 1))
    return "Your card's expiration date is in the past.";
  return { month, year };
}

export function successUrl(session: CheckoutSession): string | null {
  return session.success_url?.replaceAll('{CHECKOUT_SESSION_ID}', session.id) ?? null;
}

export function registerHostedPages(app: FastifyInstance, s: Services): void {
  const { store, ctx } = s;
  const html = (reply: FastifyReply, page: string, status = 200) =>
    reply.code(status).type('text/html; charset=utf-8').send(page);
  const asPerson = <T>(work: () => T): T => ctx.events.within({ id: null, idempotency_key: null }, work);

  const askEmail = (session: CheckoutSession) => !session.customer && !session.customer_email;

  function showSession(reply: FastifyReply, session: CheckoutSession, error: string | null, values?: Form) {
    if (session.status === 'expired')
      return html(
        reply,
        messagePage('Session expired', 'This Checkout Session is no longer active.', 'expired'),
        410,
      );
    if (session.status === 'complete') {
      const target = successUrl(session);
      if (target) return reply.redirect(target, 303);
      return html(reply, messagePage('Thank you', 'Your payment is complete.', 'complete'));
    }
    const items = s.checkout.lineItemsOf(session.id);
    return html(
      reply,
      checkoutPage(session, items, { error, askEmail: askEmail(session), values }),
      error ? 402 : 200,
    );
  }

  function answer(reply: FastifyReply, session: CheckoutSession, outcome: PayOutcome, form?: Form) {
    if (outcome.kind === 'authenticate') return reply.redirect(`/3ds/${outcome.intentId}`, 303);
    if (outcome.kind === 'failed') return showSession(reply, session, outcome.message, form);
    return showSession(reply, outcome.session, null);
  }

  app.get<{ Params: { id: string }; Querystring: { authentication_failed?: string } }>(
    '/c/pay/:id',
    async (request, reply) => {
      s.sweep();
      const session = store.checkoutSessions.get(request.params.id);
      if (!session)
        return html(reply, messagePage('Not found', 'No such Checkout Session.', 'not-found'), 404);
      return showSession(reply, session, request.query.authentication_failed ? AUTH_FAILED : null);
    },
  );

  app.post<{ Params: { id: string } }>('/c/pay/:id', async (request, reply) => {
    s.sweep();
    const session = store.checkoutSessions.get(request.params.id);
    if (!session) return html(reply, messagePage('Not found', 'No such Checkout Session.', 'not-found'), 404);
    const form = parseForm(request.body);
    const email = form.email?.trim() || null;
    if (askEmail(session) && !email?.includes('@'))
      return showSession(reply, session, 'Your email address is invalid.', form);
    const expiry = parseExpiry(form.cardExpiry ?? '', new Date(ctx.nowMs()));
    if (typeof expiry === 'string') return showSession(reply, session, expiry, form);
    if (!/^\d{3,4}$/.test(form.cardCvc?.trim() ?? ''))
      return showSession(reply, session, "Your card's security code is incomplete.", form);
    const card: CardForm = {
      number: form.cardNumber ?? '',
      expMonth: expiry.month,
      expYear: expiry.year,
      name: form.billingName?.trim() || null,
      email,
    };
    return answer(
      reply,
      session,
      asPerson(() => s.checkout.pay(session, card)),
      form,
    );
  });

  app.get<{ Params: { id: string } }>('/3ds/:id', async (request, reply) => {
    const pi = store.paymentIntents.get(request.params.id);
    const intent = pi ?? store.setupIntents.get(request.params.id);
    if (intent?.status !== 'requires_action')
      return html(
        reply,
        messagePage('Not found', 'No authentication is pending for this payment.', 'not-found'),
        404,
      );
    return html(reply, threeDSecurePage(intent.id, pi ? money(pi.amount, pi.currency) : null));
  });

  app.post<{ Params: { id: string } }>('/3ds/:id', async (request, reply) => {
    const approve = parseForm(request.body).result === 'approve';
    const id = request.params.id;
    const pi = store.paymentIntents.get(id);
    const seti = pi ? undefined : store.setupIntents.get(id);
    if (!pi && !seti) return html(reply, messagePage('Not found', 'No such payment.', 'not-found'), 404);
    try {
      asPerson(() =>
        pi ? s.payments.authenticate(pi, approve) : seti && s.setups.authenticate(seti, approve),
      );
    } catch (error) {
      // A decline after authentication is recorded on the intent; the page shows its outcome below.
      if (!(error instanceof StripeApiError)) throw error;
      if (error.statusCode !== 402)
        return html(
          reply,
          messagePage('Not found', 'No authentication is pending for this payment.', 'not-found'),
          404,
        );
    }
    const state = store.intent(id);
    if (state.checkoutSession) {
      const session = store.checkoutSessions.require(state.checkoutSession);
      const outcome = asPerson(() => s.checkout.afterAuthentication(session.id));
      if (outcome.kind === 'complete') return showSession(reply, outcome.session, null);
      return reply.redirect(`/c/pay/${session.id}?authentication_failed=1`, 303);
    }
    const intent = pi ?? seti;
    const ok = intent?.status === 'succeeded' || intent?.status === 'requires_capture';
    if (state.returnUrl) {
      const target = new URL(state.returnUrl);
      const kind = pi ? 'payment_intent' : 'setup_intent';
      target.searchParams.set(kind, id);
      target.searchParams.set(`${kind}_client_secret`, intent?.client_secret ?? '');
      target.searchParams.set('redirect_status', ok ? 'succeeded' : 'failed');
      return reply.redirect(target.toString(), 303);
    }
    return html(
      reply,
      messagePage(
        ok ? 'Authentication complete' : 'Authentication failed',
        ok ? 'You can close this window.' : AUTH_FAILED,
        'result',
      ),
    );
  });
}
