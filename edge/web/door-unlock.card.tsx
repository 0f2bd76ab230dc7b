import { useState } from 'react';
import type { ConsoleApi } from './console-api.js';

export interface ConsoleDoor {
  id: string;
  name: string;
}

/**
 * One Unlock button per door; the door opens only after the staff member confirms (with an optional
 * reason, kept in the audit log with their name).
 */
export function DoorUnlockCard({
  api,
  doors,
  onDone,
}: {
  api: ConsoleApi;
  doors: ConsoleDoor[];
  onDone: () => void;
}) {
  const [pending, setPending] = useState<ConsoleDoor | null>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<string | null>(null);

  function ask(door: ConsoleDoor) {
    setPending(door);
    setReason('');
    setError(null);
    setResult(null);
  }
  async function unlock(door: ConsoleDoor) {
    setBusy(true);
    setError(null);
    try {
      await api.unlockDoor(door.id, reason.trim());
      setResult(`${door.name} unlocked`);
      setPending(null);
      onDone();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-label="Unlock a door">
      <h3>Unlock a door</h3>
      {doors.length === 0 ? <p className="muted">No doors are configured for this venue.</p> : null}
      <ul className="door-list">
        {doors.map((door) => (
          <li key={door.id} className="row">
            <span>{door.name}</span>
            <button type="button" aria-label={`Unlock ${door.name}…`} onClick={() => ask(door)}>
              Unlock…
            </button>
          </li>
        ))}
      </ul>
      {pending !== null ? (
        <div
          role="alertdialog"
          aria-labelledby="unlock-title"
          aria-describedby="unlock-text"
          className="confirm"
        >
          <h4 id="unlock-title">Unlock {pending.name}?</h4>
          <p id="unlock-text">The door opens for a few seconds. Your name is recorded with it.</p>
          <label>
            Reason (optional)
            <input value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
          </label>
          <div className="row">
            <button type="button" className="danger" disabled={busy} onClick={() => void unlock(pending)}>
              Yes, unlock {pending.name}
            </button>
            <button type="button" onClick={() => setPending(null)}>
              Cancel
            </button>
          </div>
        </div>
      ) : null}
      {error ? (
        <p className="notice error" role="alert">
          {error}
        </p>
      ) : null}
      {result ? (
        <p role="status" data-testid="unlock-result">
          {result}
        </p>
      ) : null}
    </section>
  );
}
