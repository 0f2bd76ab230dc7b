import type { Browser, Page } from 'playwright-core';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, launchChromium } from '../testing/chromium.js';
import { startWithStripe } from '../testing/stripe-client.js';
import type { StripeSimulator } from './stripe.simulator.js';

// The hosted Checkout page as a customer uses it: type a test card, see the decline or the 3-D
// Secure challenge, land on success_url with the session id.
describe('hosted Checkout page in Chromium', { timeout: 120_000 }, () => {
  let sim: StripeSimulator;
  let stripe: Stripe;
  let browser: Browser;

  beforeAll(async () => {
    [{ sim, stripe }, browser] = await Promise.all([startWithStripe(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await sim?.close();
  });

  async function session(): Promise<Stripe.Checkout.Session> {
    return stripe.checkout.sessions.create({
      mode: 'payment',
      line_items: [
        {
          price_data: { currency: 'eur', unit_amount: 2500, product_data: { name: 'Bay 2, 20:00-21:00' } },
          quantity: 1,
        },
      ],
      // The simulator itself answers the redirect (a 404 page), so the browser lands on a real URL.
      success_url: `${sim.url}/done?session_id={CHECKOUT_SESSION_ID}`,
    });
  }

  async function pay(page: Page, url: string, card: string): Promise<void> {
    if (page.url() !== url) await page.goto(url);
    await page.fill('#email', 'guest@example.com');
    await page.fill('#cardNumber', card);
    await page.fill('#cardExpiry', '12 / 34');
    await page.fill('#cardCvc', '123');
    await page.fill('#billingName', 'Guest Golfer');
    await page.click('#submit');
  }

  it('4242 succeeds and redirects to success_url with the session id', async () => {
    const s = await session();
    const page = await browser.newPage();
    const errors = collectPageErrors(page);
    await page.goto(s.url as string);
    expect(await page.textContent('#total')).toBe('€25.00');
    await pay(page, s.url as string, '4242 4242 4242 4242');
    await page.waitForURL(/\/done\?session_id=/);
    expect(new URL(page.url()).searchParams.get('session_id')).toBe(s.id);
    expect(await stripe.checkout.sessions.retrieve(s.id)).toMatchObject({
      status: 'complete',
      payment_status: 'paid',
    });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('0002 shows the decline and lets the customer retry with another card', async () => {
    const s = await session();
    const page = await browser.newPage();
    await pay(page, s.url as string, '4000 0000 0000 0002');
    await page.waitForSelector('#error');
    expect(await page.textContent('#error')).toBe('Your card has been declined.');
    expect((await stripe.checkout.sessions.retrieve(s.id)).status).toBe('open');
    await page.fill('#cardNumber', '4242424242424242');
    await page.fill('#cardCvc', '123');
    await page.click('#submit');
    await page.waitForURL(/\/done\?session_id=/);
    const done = await stripe.checkout.sessions.retrieve(s.id, { expand: ['payment_intent.latest_charge'] });
    expect(done.status).toBe('complete');
    const charge = (done.payment_intent as Stripe.PaymentIntent).latest_charge as Stripe.Charge;
    expect(charge.payment_method_details?.card?.last4).toBe('4242');
    await page.close();
  });

  it('3184 asks for 3-D Secure: approving completes the payment', async () => {
    const s = await session();
    const page = await browser.newPage();
    await pay(page, s.url as string, '4000 0027 6000 3184');
    await page.waitForURL(/\/3ds\/pi_/);
    expect((await stripe.checkout.sessions.retrieve(s.id)).status).toBe('open');
    await page.click('#approve');
    await page.waitForURL(/\/done\?session_id=/);
    const done = await stripe.checkout.sessions.retrieve(s.id, { expand: ['payment_intent'] });
    expect(done.status).toBe('complete');
    expect((done.payment_intent as Stripe.PaymentIntent).status).toBe('succeeded');
    await page.close();
  });

  it('3184 denied: back on the page with the authentication failure, the session still open', async () => {
    const s = await session();
    const page = await browser.newPage();
    await pay(page, s.url as string, '4000002760003184');
    await page.waitForURL(/\/3ds\/pi_/);
    await page.click('#deny');
    await page.waitForSelector('#error');
    expect(await page.textContent('#error')).toContain('We are unable to authenticate your payment method');
    const still = await stripe.checkout.sessions.retrieve(s.id, { expand: ['payment_intent'] });
    expect(still.status).toBe('open');
    expect((still.payment_intent as Stripe.PaymentIntent).last_payment_error?.code).toBe(
      'payment_intent_authentication_failure',
    );
    await page.close();
  });

  it('an expired session says so instead of showing the form', async () => {
    const s = await session();
    await stripe.checkout.sessions.expire(s.id);
    const page = await browser.newPage();
    const response = await page.goto(s.url as string);
    expect(response?.status()).toBe(410);
    expect(await page.textContent('#expired')).toContain('no longer active');
    await page.close();
  });
});
