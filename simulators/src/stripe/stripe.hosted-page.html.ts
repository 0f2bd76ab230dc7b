import { ZERO_DECIMAL } from './stripe.money.js';
import type { CheckoutSession, LineItem } from './stripe.types.js';

/**
 * The HTML of the simulator's hosted pages: plain forms, no script, so a person or a Chromium test
 * can drive them. Field ids follow Stripe Checkout's (`email`, `cardNumber`, `cardExpiry`,
 * `cardCvc`, `billingName`) so browser tests read the same against both.
 */
export const escapeHtml = (value: string): string =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

export function money(amount: number, currency: string): string {
  const value = ZERO_DECIMAL.has(currency) ? amount : amount / 100;
  return new Intl.NumberFormat('en', { style: 'currency', currency: currency.toUpperCase() }).format(value);
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,sans-serif;background:#f6f9fc;color:#1a1f36;margin:0}
main{max-width:28rem;margin:3rem auto;background:#fff;border-radius:8px;padding:2rem;box-shadow:0 2px 8px #0002}
label{display:block;margin:.8rem 0 .2rem;font-size:.9rem}
input{width:100%;box-sizing:border-box;padding:.6rem;border:1px solid #ccd;border-radius:4px;font-size:1rem}
button{margin-top:1.2rem;width:100%;padding:.8rem;border:0;border-radius:4px;background:#635bff;color:#fff;font-size:1rem;cursor:pointer}
button.secondary{background:#fff;color:#1a1f36;border:1px solid #ccd}
.error{color:#df1b41;margin-top:1rem}.row{display:flex;gap:1rem}.row>div{flex:1}
table{width:100%;border-collapse:collapse}td,th{padding:.3rem 0}th{text-align:left}td:last-child{text-align:right}
.banner{font-size:.8rem;background:#ffde92;padding:.3rem .6rem;border-radius:4px;display:inline-block}
</style></head><body><main><span class="banner">TEST MODE · ClubOS Stripe simulator</span>
${body}
</main></body></html>`;
}

export function checkoutPage(
  session: CheckoutSession,
  items: LineItem[],
  options: { error?: string | null; askEmail: boolean; values?: Record<string, string> },
): string {
  const v = (name: string) => escapeHtml(options.values?.[name] ?? '');
  const lines = items
    .map(
      (item) =>
        `<tr><td>${escapeHtml(item.description)} × ${item.quantity}</td><td>${money(item.amount_total, item.currency)}</td></tr>`,
    )
    .join('');
  const total =
    session.mode === 'payment' && session.amount_total !== null && session.currency
      ? money(session.amount_total, session.currency)
      : null;
  const summary =
    session.mode === 'payment'
      ? `<h1>Pay ${total}</h1><table id="lineItems">${lines}<tr><th>Total</th><td id="total">${total}</td></tr></table>`
      : '<h1>Save your card</h1><p>Your card will be saved for future payments.</p>';
  const email = options.askEmail
    ? `<label for="email">Email</label><input id="email" name="email" type="email" required value="${v('email')}">`
    : '';
  const cancel = session.cancel_url
    ? `<p><a id="cancel" href="${escapeHtml(session.cancel_url)}">Back</a></p>`
    : '';
  const error = options.error
    ? `<p class="error" id="error" role="alert">${escapeHtml(options.error)}</p>`
    : '';
  return layout(
    session.mode === 'payment' ? `Pay ${total}` : 'Save card',
    `${summary}
<form method="post" action="/c/pay/${escapeHtml(session.id)}">
${email}
<label for="cardNumber">Card number</label><input id="cardNumber" name="cardNumber" inputmode="numeric" autocomplete="cc-number" placeholder="1234 1234 1234 1234" required value="${v('cardNumber')}">
<div class="row"><div><label for="cardExpiry">Expiry</label><input id="cardExpiry" name="cardExpiry" placeholder="MM / YY" required value="${v('cardExpiry')}"></div>
<div><label for="cardCvc">CVC</label><input id="cardCvc" name="cardCvc" inputmode="numeric" placeholder="CVC" required></div></div>
<label for="billingName">Name on card</label><input id="billingName" name="billingName" autocomplete="cc-name" value="${v('billingName')}">
<button id="submit" type="submit">${session.mode === 'payment' ? `Pay ${total}` : 'Save card'}</button>
</form>${error}${cancel}`,
  );
}

export function messagePage(title: string, message: string, id = 'message'): string {
  return layout(title, `<h1>${escapeHtml(title)}</h1><p id="${escapeHtml(id)}">${escapeHtml(message)}</p>`);
}

export function threeDSecurePage(intentId: string, amountLine: string | null): string {
  return layout(
    '3D Secure 2 test page',
    `<h1>3D Secure 2 test page</h1>
<p>This is a test authentication page${amountLine ? ` for ${escapeHtml(amountLine)}` : ''}. Complete or fail the authentication.</p>
<form method="post" action="/3ds/${escapeHtml(intentId)}">
<button id="approve" name="result" value="approve" type="submit">Complete authentication</button>
<button id="deny" class="secondary" name="result" value="deny" type="submit">Fail authentication</button>
</form>`,
  );
}
