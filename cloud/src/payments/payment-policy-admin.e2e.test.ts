import { randomUUID } from 'node:crypto';
import { formatMoney } from '@clubos/shared/pricing';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  launchChromium,
  openPage,
  screenshot,
  startWebServer,
  type WebTestServer,
} from '../testing/browser.js';
import { createOpsWorld, SETUP_TIMEOUT_MS } from '../testing/ops-world.js';
import { type StripeHarness, startStripeHarness } from '../testing/stripe.js';
import { testDatabases } from '../testing/test-app.js';

async function signIn(page: Page, email: string, password: string, facilityId: string): Promise<Locator> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // An admin sees every facility; pick the one under test.
  await page.getByRole('heading', { name: 'Payments', exact: true }).waitFor();
  const picker = page.getByLabel('Facility');
  if (await picker.count()) await picker.selectOption(facilityId);
  const panel = page.getByTestId('payment-policy');
  await panel.getByRole('form', { name: 'Payment policy' }).waitFor();
  return panel;
}

describe.each(testDatabases())(
  'the payment policy on the admin Payments page in Chromium, on %s',
  { timeout: 120_000 },
  (kind) => {
    let h: StripeHarness;
    let browser: Browser;
    let page: Page;
    let errors: string[];
    let baseUrl: string;
    // A database of its own per run on PGlite, shared on PostgreSQL: an address no other run took.
    const staff = { email: `desk-${randomUUID().slice(0, 8)}@example.com`, password: 'desk-password-1' };

    const stored = () => h.t.app.services.paymentPolicies.policyOf(h.w.facilityA);

    beforeAll(async () => {
      h = await startStripeHarness(kind);
      browser = await launchChromium();
      baseUrl = h.webhookUrl.replace(/\/api\/.*$/, '');
      const created = await h.t.request({
        method: 'POST',
        url: '/api/v1/auth/users',
        token: h.w.tokens.admin,
        payload: { ...staff, role: 'staff', facility_ids: [h.w.facilityA] },
      });
      expect(created.statusCode, created.body).toBe(201);
      ({ page, errors } = await openPage(browser, baseUrl, '/admin/payments'));
    }, SETUP_TIMEOUT_MS);
    afterAll(async () => {
      await browser?.close();
      await h?.close();
    });

    it('sets a 25 % deposit and a $15 no-show fee, shows the saved answer, and reads them back after a reload', async () => {
      let panel = await signIn(page, h.t.config.adminEmail, h.t.config.adminPassword!, h.w.facilityA);
      expect(await panel.getByLabel('Pay at the venue', { exact: true }).isChecked()).toBe(true);
      expect(await panel.getByTestId('online-off').count()).toBe(0);

      await panel.getByLabel('Pay a deposit online, the rest at the venue').check();
      await panel.getByLabel('Deposit as').selectOption('percent');
      await panel.getByLabel('Deposit (%)').fill('25');
      await panel.getByLabel('No-show fee (USD)').fill('15');
      await panel.getByLabel('Card on file required').check();
      await panel.getByLabel('Walk-ins (kiosk and desk) pay on the card reader').check();
      await panel.getByLabel('Offline, sell card walk-ins "to collect" up to (USD)').fill('60');
      await panel.getByRole('button', { name: 'Save payment policy' }).click();
      const fee = formatMoney(1500, 'USD');
      const summary = `Customers pay a deposit of 25 % online; no-show fee ${fee}; a card on file is required.`;
      await panel.getByRole('status').getByText(`Saved. ${summary}`).waitFor();
      expect(await stored()).toEqual({
        mode: 'deposit',
        deposit: { kind: 'percent', bps: 2500 },
        noShowFeeCents: 1500,
        cardOnFileRequired: true,
        currency: 'usd',
        walkInCard: true,
        walkInToCollectCapCents: 6_000,
      });
      await screenshot(page, '31-admin-payment-policy');

      await page.reload();
      panel = page.getByTestId('payment-policy');
      await panel.getByTestId('policy-summary').getByText(summary).waitFor();
      expect(await panel.getByLabel('Pay a deposit online, the rest at the venue').isChecked()).toBe(true);
      expect(await panel.getByLabel('Deposit (%)').inputValue()).toBe('25');
      expect(await panel.getByLabel('No-show fee (USD)').inputValue()).toBe('15.00');
      expect(await panel.getByLabel('Card on file required').isChecked()).toBe(true);
      expect(errors).toEqual([]);
    });

    it("shows the server's refusal next to the field it names and stores nothing", async () => {
      const panel = page.getByTestId('payment-policy');
      const before = await h.t.request({
        method: 'GET',
        url: `/api/v1/admin/facilities/${h.w.facilityA}/payment-policy`,
        token: h.w.tokens.admin,
      });
      // What the server answers to the same body, to compare with what the page shows.
      const refusal = async (payload: object) => {
        const res = await h.t.request({
          method: 'PUT',
          url: `/api/v1/admin/facilities/${h.w.facilityB}/payment-policy`,
          token: h.w.tokens.admin,
          payload,
        });
        expect(res.statusCode, res.body).toBe(400);
        return res.json().error.message as string;
      };

      await panel.getByLabel('Deposit (%)').fill('0');
      await panel.getByRole('button', { name: 'Save payment policy' }).click();
      const depositError = panel.locator('[data-field="deposit_bps"]').getByRole('alert');
      await depositError.waitFor();
      expect(await depositError.textContent()).toBe(
        await refusal({
          mode: 'deposit',
          deposit_bps: 0,
          no_show_fee_cents: 1500,
          card_on_file_required: true,
        }),
      );
      expect(await panel.getByRole('alert').count()).toBe(1);

      // A no-show fee without a card to charge: the server names the checkbox.
      await panel.getByLabel('Deposit (%)').fill('25');
      await panel.getByLabel('Card on file required').uncheck();
      await panel.getByRole('button', { name: 'Save payment policy' }).click();
      const cardError = panel.locator('[data-field="card_on_file_required"]').getByRole('alert');
      await cardError.waitFor();
      expect(await cardError.textContent()).toBe(
        await refusal({
          mode: 'deposit',
          deposit_bps: 2500,
          no_show_fee_cents: 1500,
          card_on_file_required: false,
        }),
      );
      expect(await depositError.count()).toBe(0);

      // A currency code the server does not know as one, next to the currency.
      await panel.getByLabel('Card on file required').check();
      await panel.getByLabel('Currency').fill('US');
      await panel.getByRole('button', { name: 'Save payment policy' }).click();
      const currencyError = panel.locator('[data-field="currency"]').getByRole('alert');
      await currencyError.waitFor();
      expect(await currencyError.textContent()).toBe(
        await refusal({
          mode: 'deposit',
          deposit_bps: 2500,
          no_show_fee_cents: 1500,
          card_on_file_required: true,
          currency: 'us',
        }),
      );

      // An empty deposit never leaves the page: the shared amount reader names the field.
      await panel.getByLabel('Currency').fill('USD');
      await panel.getByLabel('Deposit (%)').fill('');
      await panel.getByRole('button', { name: 'Save payment policy' }).click();
      await depositError.getByText('is empty').waitFor();

      const after = await h.t.request({
        method: 'GET',
        url: `/api/v1/admin/facilities/${h.w.facilityA}/payment-policy`,
        token: h.w.tokens.admin,
      });
      expect(after.json()).toEqual(before.json());
      expect(errors).toEqual([]);
    });

    it("lets the facility's staff read and change it (the routes allow staff of the facility)", async () => {
      const staffPage = await openPage(browser, baseUrl, '/admin/payments');
      const panel = await signIn(staffPage.page, staff.email, staff.password, h.w.facilityA);
      expect(await panel.getByLabel('Deposit (%)').inputValue()).toBe('25');

      await panel.getByLabel('Deposit as').selectOption('fixed');
      await panel.getByLabel('Deposit (USD)').fill('10.50');
      await panel.getByRole('button', { name: 'Save payment policy' }).click();
      await panel
        .getByRole('status')
        .getByText(`Customers pay a deposit of ${formatMoney(1050, 'USD')} online`, { exact: false })
        .waitFor();
      expect((await stored()).deposit).toEqual({ kind: 'fixed', cents: 1050 });
      expect(staffPage.errors).toEqual([]);
      await staffPage.context.close();
    });
  },
);

describe('the payment policy while online payment is off, in Chromium', { timeout: 120_000 }, () => {
  let server: WebTestServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startWebServer();
    browser = await launchChromium();
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('explains that customers can only pay at the venue', async () => {
    const w = await createOpsWorld(server.t);
    const { page, errors } = await openPage(browser, server.baseUrl, '/admin/payments');
    const panel = await signIn(page, server.t.config.adminEmail, server.t.config.adminPassword!, w.facilityA);
    await panel.getByTestId('online-off').getByText('customers can only pay at the venue').waitFor();
    expect(await panel.getByTestId('policy-summary').textContent()).toBe('Customers pay at the venue.');
    expect(errors).toEqual([]);
  });
});
