import { useEffect, useState } from 'react';
import { errorText } from '../shared-ui/api.js';
import { session, type Venue } from './site-api.js';

interface Consent {
  consent_text: string;
  card_on_file_required: boolean;
}
interface CardStatus {
  has_card: boolean;
  consented_at: string | null;
}

/**
 * "Save a card for no-show fees", where the venue's policy asks for a card on file: the consent
 * text is shown and must be ticked; the card itself is entered on Stripe's page (setup mode), so
 * it never reaches us. Stripe sends the customer back here.
 */
export function SavedCardPanel({ venue }: { venue: Venue }) {
  const [consent, setConsent] = useState<Consent | null>(null);
  const [card, setCard] = useState<CardStatus | null>(null);
  const [accepted, setAccepted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const query = { facility_id: venue.id };
    Promise.all([
      session.authed<Consent>('/customers/me/card/consent', { query }),
      session.authed<CardStatus>('/customers/me/card'),
    ])
      .then(([c, s]) => {
        setConsent(c);
        setCard(s);
      })
      .catch((e) => setError(errorText(e)));
  }, [venue.id]);
  if (!consent?.card_on_file_required && !error) return null;
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const started = await session.authed<{ checkout_url: string }>('/customers/me/card', {
        method: 'POST',
        body: {
          facility_id: venue.id,
          return_url: `${window.location.origin}/account`,
          accept_consent: accepted,
        },
      });
      window.location.assign(started.checkout_url);
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };
  return (
    <section className="card stack" aria-labelledby="saved-card-h" data-testid="saved-card">
      <h2 id="saved-card-h">Card for no-show fees</h2>
      {error && (
        <div className="alert error" role="alert">
          {error}
        </div>
      )}
      {card?.has_card ? (
        <p data-testid="card-saved">A card is saved with {venue.name}.</p>
      ) : (
        consent && (
          <>
            <p>
              {venue.name} asks for a card on file. You enter it on Stripe's secure page; it is charged only
              as below.
            </p>
            <label className="row">
              <input type="checkbox" checked={accepted} onChange={(e) => setAccepted(e.target.checked)} />
              <span data-testid="consent-text">{consent.consent_text}</span>
            </label>
            <button type="button" className="btn" disabled={!accepted || busy} onClick={() => void save()}>
              {busy ? 'One moment…' : 'Save a card'}
            </button>
          </>
        )
      )}
    </section>
  );
}
