import { useEffect, useState } from 'react';
import { errorText } from '../shared-ui/api.js';
import { ErrorNotice, Loading } from '../shared-ui/ui.js';

export interface ReceiptItem {
  id: string;
  kind: 'payment' | 'refund';
  description: string;
  amount: string;
  status: string;
  url: string;
}

/**
 * A booking's receipts, each opened as its printable page in a new tab. The page needs the same
 * authorization as the list (a bearer token or the guest's manage token), so it is fetched here and
 * written into the tab opened on the click (opened first, so no popup blocker stops it).
 */
export function ReceiptsPanel({
  load,
  headers,
}: {
  load: () => Promise<{ receipts: ReceiptItem[] }>;
  headers: () => Record<string, string>;
}) {
  const [receipts, setReceipts] = useState<ReceiptItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    load()
      .then((r) => setReceipts(r.receipts))
      .catch((e) => setError(errorText(e)));
  }, [load]);
  const open = async (receipt: ReceiptItem) => {
    const tab = window.open('', '_blank');
    const response = await fetch(receipt.url, { headers: headers() });
    const html = await response.text();
    tab?.document.open();
    tab?.document.write(html);
    tab?.document.close();
  };
  if (error) return <ErrorNotice title="Receipts could not be loaded" message={error} />;
  if (!receipts) return <Loading label="Loading receipts…" />;
  if (receipts.length === 0) return <p className="muted">No payments or refunds yet.</p>;
  return (
    <ul className="list" data-testid="receipts">
      {receipts.map((r) => (
        <li key={r.id} className="row">
          <span>
            {r.description} · {r.kind === 'refund' ? '−' : ''}
            {r.amount} ({r.status})
          </span>
          <button type="button" className="btn small secondary" onClick={() => open(r)}>
            Open receipt
          </button>
        </li>
      ))}
    </ul>
  );
}
