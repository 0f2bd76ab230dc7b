/**
 * The nightly reconciliation's comparison (pure): the provider's records against ours, matched by
 * the provider's id. Every difference is reported; nothing is corrected here.
 */
export interface ReconciledRecord {
  providerId: string;
  ourId: string | null;
  bookingId: string | null;
  amountCents: number;
  /** In our ledger's vocabulary (pending | failed | canceled | succeeded for payments). */
  status: string;
}

export type DifferenceKind = 'missing_at_us' | 'missing_at_stripe' | 'amount_differs' | 'status_differs';

export interface ReconciliationDiff {
  kind: DifferenceKind;
  object: 'payment' | 'refund';
  provider_id: string;
  our_id: string | null;
  booking_id: string | null;
  ours: { amount_cents: number; status: string } | null;
  stripe: { amount_cents: number; status: string } | null;
}

const side = (r: ReconciledRecord | undefined) =>
  r ? { amount_cents: r.amountCents, status: r.status } : null;

export function reconcileRecords(
  object: 'payment' | 'refund',
  provider: readonly ReconciledRecord[],
  ours: readonly ReconciledRecord[],
): ReconciliationDiff[] {
  const theirs = new Map(provider.map((r) => [r.providerId, r]));
  const mine = new Map(ours.map((r) => [r.providerId, r]));
  const out: ReconciliationDiff[] = [];
  const diff = (
    kind: DifferenceKind,
    id: string,
    a: ReconciledRecord | undefined,
    b: ReconciledRecord | undefined,
  ) =>
    out.push({
      kind,
      object,
      provider_id: id,
      our_id: a?.ourId ?? b?.ourId ?? null,
      booking_id: a?.bookingId ?? b?.bookingId ?? null,
      ours: side(a),
      stripe: side(b),
    });
  for (const id of [...new Set([...theirs.keys(), ...mine.keys()])].sort()) {
    const [a, b] = [mine.get(id), theirs.get(id)];
    if (!a) diff('missing_at_us', id, a, b);
    else if (!b) diff('missing_at_stripe', id, a, b);
    else {
      if (a.amountCents !== b.amountCents) diff('amount_differs', id, a, b);
      if (a.status !== b.status) diff('status_differs', id, a, b);
    }
  }
  return out;
}
