import { type FormEvent, useId, useState } from 'react';
import type { CustomerResponse } from '../../../shared/src/api/customers.schemas.js';
import { errorText } from '../shared-ui/api.js';
import { Field } from '../shared-ui/ui.js';
import { type CustomerSummary, session } from './admin-api.js';

export const customerName = (c: Pick<CustomerSummary, 'first_name' | 'last_name' | 'email'>) =>
  [c.first_name, c.last_name].filter(Boolean).join(' ') || c.email;

/** What the membership PUT answered, in words an owner reads. */
function savedText(name: string, profile: CustomerResponse['profile']): string {
  const tier = profile.member_tier ? `a ${profile.member_tier} member` : 'not a member';
  return `Saved: ${name} is ${tier}${profile.vip_status ? ' and a VIP' : ''}.`;
}

/**
 * A customer's membership tier (free text: `member` pricing rules match it exactly) and VIP flag.
 * The tiers this facility's pricing rules name are offered as choices; only admins may save.
 */
export function MembershipPanel({
  customer,
  tiers,
  facilityName,
  canEdit,
  onSaved,
}: {
  customer: CustomerSummary;
  tiers: string[];
  facilityName: string;
  canEdit: boolean;
  onSaved: (customer: CustomerSummary, message: string) => void;
}) {
  const [tier, setTier] = useState(customer.member_tier ?? '');
  const [vip, setVip] = useState(customer.vip_status);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const listId = useId();
  const name = customerName(customer);
  const typed = tier.trim();
  const unknownTier = typed !== '' && !tiers.includes(typed);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const saved = await session.authed<CustomerResponse>(`/admin/customers/${customer.id}/membership`, {
        method: 'PUT',
        body: { member_tier: typed === '' ? null : typed, vip_status: vip },
      });
      onSaved(
        { ...customer, member_tier: saved.profile.member_tier, vip_status: saved.profile.vip_status },
        savedText(name, saved.profile),
      );
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="inline-panel stack" onSubmit={submit} aria-label={`Membership of ${name}`}>
      <div className="row">
        <Field
          label="Membership tier"
          hint={
            tiers.length > 0
              ? `Tiers with member prices at ${facilityName}: ${tiers.join(', ')}. Empty: not a member.`
              : `No pricing rule at ${facilityName} names a tier yet. Empty: not a member.`
          }
        >
          <input
            name="member_tier"
            value={tier}
            onChange={(e) => setTier(e.target.value)}
            list={listId}
            maxLength={64}
            autoComplete="off"
            disabled={!canEdit}
          />
        </Field>
        <datalist id={listId}>
          {tiers.map((t) => (
            <option key={t} value={t} />
          ))}
        </datalist>
        <label className="check">
          <input
            type="checkbox"
            checked={vip}
            onChange={(e) => setVip(e.target.checked)}
            disabled={!canEdit}
          />
          VIP
        </label>
      </div>
      {canEdit && tiers.length > 0 && (
        <fieldset className="days">
          <legend className="sr-only">Choose a tier</legend>
          {tiers.map((t) => (
            <button
              key={t}
              type="button"
              className="btn small secondary"
              aria-pressed={typed === t}
              onClick={() => setTier(t)}
            >
              {t}
            </button>
          ))}
          <button type="button" className="btn small ghost" onClick={() => setTier('')}>
            No membership
          </button>
        </fieldset>
      )}
      {canEdit && unknownTier && (
        <div className="alert warn">
          No pricing rule at {facilityName} names the tier “{typed}” (tiers match exactly, case included):
          this customer pays the usual prices here until one does.
        </div>
      )}
      {error && (
        <div className="alert error" role="alert">
          {error}
        </div>
      )}
      {canEdit ? (
        <div className="row">
          <button type="submit" className="btn small" disabled={busy}>
            {busy ? 'Saving…' : 'Save membership'}
          </button>
        </div>
      ) : (
        <p className="muted">Only an admin can change a membership.</p>
      )}
    </form>
  );
}
