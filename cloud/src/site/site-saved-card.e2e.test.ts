import { cardOnFileConsent } from '@clubos/shared/payments';
import { describe, expect, it } from 'vitest';
import { screenshot } from '../testing/browser.js';
import { checkoutSiteSuite } from '../testing/checkout-site.js';

const FEE = 1500;

// A venue that asks for a card on file (a no-show fee): the customer saves one on Stripe's page.
describe('saving a card for no-show fees on the customer site in Chromium', { timeout: 120_000 }, () => {
  const site = checkoutSiteSuite(
    { name: 'Careful Greens', timezone: 'UTC', bays: 1, open: '08:00', close: '22:00' },
    { mode: 'at_venue', no_show_fee_cents: FEE, card_on_file_required: true },
  );

  it('shows the consent, needs it ticked, saves the card on the simulator page and says so back home', async () => {
    const { page, errors } = await site.open('/account');
    await page.getByRole('tab', { name: 'Create account' }).click();
    await page.getByLabel('First name').fill('Cora');
    await page.getByLabel('Email').fill('cora@example.com');
    await page.getByLabel('Password').fill('cora-password-1');
    await page.getByRole('button', { name: 'Create account' }).last().click();

    const panel = page.getByTestId('saved-card');
    await panel.waitFor();
    expect(await panel.getByTestId('consent-text').textContent()).toBe(
      cardOnFileConsent('Careful Greens', FEE, 'usd'),
    );
    const save = panel.getByRole('button', { name: 'Save a card' });
    expect(await save.isDisabled()).toBe(true);
    await panel.getByRole('checkbox').check();
    await save.click();

    await page.waitForURL((url) => url.href.startsWith(`${site.sim.url}/c/pay/`));
    expect(await page.locator('h1').textContent()).toBe('Save your card');
    await screenshot(page, 'card-01-setup-page');
    await page.fill('#cardNumber', '4242 4242 4242 4242');
    await page.fill('#cardExpiry', '12 / 34');
    await page.fill('#cardCvc', '123');
    await page.fill('#billingName', 'Cora Careful');
    await page.click('#submit');

    await page.waitForURL((url) => url.pathname === '/account');
    await page.getByTestId('card-saved').waitFor();
    expect(site.sim.store.paymentMethods.all().filter((pm) => pm.customer)).toHaveLength(1);
    await screenshot(page, 'card-02-saved');
    expect(errors).toEqual([]);
  });
});
