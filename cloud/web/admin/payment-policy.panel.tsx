import type { PaymentPolicyResponse } from '@clubos/shared/api/payments.schemas';
import { DomainError } from '@clubos/shared/errors';
import { bpsToPercent } from '@clubos/shared/pricing';
import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { ApiError, errorText } from '../shared-ui/api.js';
import { dateTimeIn, money } from '../shared-ui/format.js';
import { ErrorNotice, Field, Loading } from '../shared-ui/ui.js';
import { session } from './admin-api.js';
import {
  bodyOf,
  draftOf,
  fieldOf,
  MODE_LABELS,
  type PaymentMode,
  type PolicyDraft,
  type PolicyField,
} from './payment-policy-model.js';

/** What the saved policy asks of a customer, in one line. */
export function policySummary(p: PaymentPolicyResponse): string {
  const cash = (cents: number) => money(cents, p.currency.toUpperCase());
  const pay =
    p.mode === 'deposit'
      ? `a deposit of ${p.deposit_bps !== null ? `${bpsToPercent(p.deposit_bps)} %` : cash(p.deposit_cents ?? 0)} online`
      : p.mode === 'full'
        ? 'the full price online'
        : 'at the venue';
  const fee = p.no_show_fee_cents > 0 ? `; no-show fee ${cash(p.no_show_fee_cents)}` : '';
  const card = p.card_on_file_required ? '; a card on file is required' : '';
  return `Customers pay ${pay}${fee}${card}.`;
}

function PolicyInput({
  label,
  field,
  errors,
  children,
}: {
  label: string;
  field: PolicyField;
  errors: Partial<Record<PolicyField, string>>;
  children: ReactNode;
}) {
  const error = errors[field];
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control is the `children` it wraps
    <label className="field" data-field={field}>
      <span>{label}</span>
      {children}
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </label>
  );
}

/** A facility's payment policy: how customers pay when they book, edited by its staff and admins. */
export function PaymentPolicyPanel({ facilityId, zone }: { facilityId: string; zone: string }) {
  const [saved, setSaved] = useState<PaymentPolicyResponse | null>(null);
  const [draft, setDraft] = useState<PolicyDraft | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [errors, setErrors] = useState<Partial<Record<PolicyField, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const url = `/admin/facilities/${facilityId}/payment-policy`;
  const load = () => {
    setLoadError(null);
    session
      .authed<PaymentPolicyResponse>(url)
      .then((p) => {
        setSaved(p);
        setDraft(draftOf(p));
      })
      .catch((e) => setLoadError(errorText(e)));
  };
  useEffect(load, [url]);

  const edit = (change: Partial<PolicyDraft>) => setDraft((d) => (d ? { ...d, ...change } : d));
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!draft) return;
    setErrors({});
    setFormError(null);
    setNotice(null);
    setBusy(true);
    try {
      const answer = await session.authed<PaymentPolicyResponse>(url, { method: 'PUT', body: bodyOf(draft) });
      setSaved(answer);
      setDraft(draftOf(answer));
      setNotice(`Saved. ${policySummary(answer)}`);
    } catch (e) {
      const field = e instanceof ApiError || e instanceof DomainError ? fieldOf(e.field, draft) : null;
      if (field) setErrors({ [field]: errorText(e) });
      else setFormError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card stack" aria-labelledby="policy-h" data-testid="payment-policy">
      <h3 id="policy-h">Payment policy</h3>
      {loadError && (
        <ErrorNotice title="The payment policy could not be loaded" message={loadError} onRetry={load} />
      )}
      {!saved && !loadError && <Loading label="Loading the payment policy…" />}
      {saved && !saved.online_payments_enabled && (
        <div className="alert warn" data-testid="online-off">
          <strong>Online payment is off</strong>
          <span>
            This cloud has no Stripe key, so customers can only pay at the venue whatever is chosen here. The
            policy is kept and applies once online payment is switched on.
          </span>
        </div>
      )}
      {saved && <p data-testid="policy-summary">{policySummary(saved)}</p>}
      {draft && (
        <form className="stack" onSubmit={submit} aria-label="Payment policy" noValidate>
          <fieldset className="inline-panel stack" data-field="mode">
            <legend>How customers pay when they book</legend>
            {(Object.keys(MODE_LABELS) as PaymentMode[]).map((mode) => (
              <label key={mode} className="check">
                <input
                  type="radio"
                  name="mode"
                  value={mode}
                  checked={draft.mode === mode}
                  onChange={() => edit({ mode })}
                />{' '}
                {MODE_LABELS[mode]}
              </label>
            ))}
            {errors.mode && (
              <span className="field-error" role="alert">
                {errors.mode}
              </span>
            )}
          </fieldset>
          {draft.mode === 'deposit' && (
            <div className="row">
              <Field label="Deposit as">
                <select
                  value={draft.depositKind}
                  onChange={(e) => edit({ depositKind: e.target.value as PolicyDraft['depositKind'] })}
                >
                  <option value="percent">A share of the price (%)</option>
                  <option value="fixed">A fixed amount</option>
                </select>
              </Field>
              {draft.depositKind === 'percent' ? (
                <PolicyInput label="Deposit (%)" field="deposit_bps" errors={errors}>
                  <input
                    type="number"
                    inputMode="decimal"
                    min="0.01"
                    max="100"
                    step="0.01"
                    value={draft.depositPercent}
                    aria-invalid={errors.deposit_bps ? true : undefined}
                    onChange={(e) => edit({ depositPercent: e.target.value })}
                  />
                </PolicyInput>
              ) : (
                <PolicyInput label={`Deposit (${draft.currency})`} field="deposit_cents" errors={errors}>
                  <input
                    type="number"
                    inputMode="decimal"
                    min="0.01"
                    step="0.01"
                    value={draft.depositAmount}
                    aria-invalid={errors.deposit_cents ? true : undefined}
                    onChange={(e) => edit({ depositAmount: e.target.value })}
                  />
                </PolicyInput>
              )}
            </div>
          )}
          <div className="row">
            <PolicyInput label={`No-show fee (${draft.currency})`} field="no_show_fee_cents" errors={errors}>
              <input
                type="number"
                inputMode="decimal"
                min="0"
                step="0.01"
                value={draft.noShowFee}
                aria-invalid={errors.no_show_fee_cents ? true : undefined}
                onChange={(e) => edit({ noShowFee: e.target.value })}
              />
            </PolicyInput>
            <PolicyInput label="Currency" field="currency" errors={errors}>
              <input
                value={draft.currency}
                maxLength={3}
                autoCapitalize="characters"
                aria-invalid={errors.currency ? true : undefined}
                onChange={(e) => edit({ currency: e.target.value })}
              />
            </PolicyInput>
          </div>
          <div className="stack" data-field="card_on_file_required">
            <label className="check">
              <input
                type="checkbox"
                checked={draft.cardOnFile}
                aria-invalid={errors.card_on_file_required ? true : undefined}
                onChange={(e) => edit({ cardOnFile: e.target.checked })}
              />{' '}
              Card on file required (needed to charge a no-show fee)
            </label>
            {errors.card_on_file_required && (
              <span className="field-error" role="alert">
                {errors.card_on_file_required}
              </span>
            )}
          </div>
          <div className="stack" data-field="walk_in_card">
            <label className="check">
              <input
                type="checkbox"
                checked={draft.walkInCard}
                onChange={(e) => edit({ walkInCard: e.target.checked })}
              />{' '}
              Walk-ins (kiosk and desk) pay on the card reader
            </label>
          </div>
          <PolicyInput
            label={`Offline, sell card walk-ins "to collect" up to (${draft.currency})`}
            field="walk_in_to_collect_cap_cents"
            errors={errors}
          >
            <input
              type="number"
              inputMode="decimal"
              min="0"
              step="0.01"
              value={draft.walkInCap}
              aria-invalid={errors.walk_in_to_collect_cap_cents ? true : undefined}
              onChange={(e) => edit({ walkInCap: e.target.value })}
            />
          </PolicyInput>
          {formError && (
            <div className="alert error" role="alert">
              {formError}
            </div>
          )}
          {notice && (
            <div className="alert ok" role="status">
              {notice}
            </div>
          )}
          <div className="row">
            <button type="submit" className="btn" disabled={busy}>
              {busy ? 'Saving…' : 'Save payment policy'}
            </button>
            {saved?.updated_at && (
              <span className="hint">Last changed {dateTimeIn(saved.updated_at, zone)}</span>
            )}
          </div>
        </form>
      )}
    </section>
  );
}
