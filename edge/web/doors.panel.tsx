import { useState } from 'react';
import type { Board, ConsoleApi, Emergency } from './console-api.js';
import { type ConsoleDoor, DoorUnlockCard } from './door-unlock.card.js';

type Mode = 'lockdown' | 'evacuation' | 'normal';
const WARN: Record<Mode, string> = {
  lockdown: 'Lockdown locks every door in the venue. Nobody can enter with a code until it is released.',
  evacuation: 'Evacuation unlocks every door in the venue so everyone can get out.',
  normal: 'Return every door to its normal schedule.',
};

/**
 * Open a door with a customer's code, unlock any door as staff, and the venue-wide emergency modes
 * (unlocks and modes each confirmed first).
 */
export function DoorsPanel({
  api,
  board,
  emergency,
  onDone,
}: {
  api: ConsoleApi;
  board: Board;
  emergency: Emergency | null;
  onDone: () => void;
}) {
  const [pending, setPending] = useState<Mode | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<string | null>(null);
  const doors: ConsoleDoor[] = [
    ...board.entrance_door_ids.map((id, i) => ({
      id,
      name: `Entrance${board.entrance_door_ids.length > 1 ? ` ${i + 1}` : ''}`,
    })),
    ...board.bays
      .filter((b) => b.door_id !== null)
      .map((b) => ({ id: b.door_id as string, name: `${b.name} door` })),
  ];
  const [doorId, setDoorId] = useState(doors[0]?.id ?? '');
  const [pin, setPin] = useState('');

  async function apply(mode: Mode) {
    setError(null);
    try {
      await api.setEmergency(mode);
      setPending(null);
      onDone();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }
  async function open(event: React.FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      const d = await api.openDoor(doorId, pin.trim());
      setResult(`${d.decision === 'granted' ? 'Opened' : 'Refused'}: ${d.reason}`);
      setPin('');
      onDone();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }

  const state =
    emergency === null
      ? 'unknown'
      : emergency.lockdown
        ? 'lockdown'
        : emergency.evacuation
          ? 'evacuation'
          : 'normal';
  return (
    <section aria-labelledby="doors-title">
      <h2 id="doors-title">Doors</h2>
      {error ? (
        <p className="notice error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="cols">
        <div className="card">
          <h3>
            Emergency mode:{' '}
            <span data-testid="emergency-state" className={`chip ${state === 'normal' ? 'ok' : 'warn'}`}>
              {state}
            </span>
          </h3>
          {emergency === null ? (
            <p className="muted">No door controller answered; modes are unavailable.</p>
          ) : null}
          <div className="row">
            <button
              type="button"
              className="danger"
              disabled={emergency === null}
              onClick={() => setPending('lockdown')}
            >
              Lockdown…
            </button>
            <button
              type="button"
              className="danger"
              disabled={emergency === null}
              onClick={() => setPending('evacuation')}
            >
              Evacuation…
            </button>
            <button
              type="button"
              disabled={emergency === null || state === 'normal'}
              onClick={() => setPending('normal')}
            >
              Back to normal…
            </button>
          </div>
          {pending !== null ? (
            <div
              role="alertdialog"
              aria-labelledby="confirm-title"
              aria-describedby="confirm-text"
              className="confirm"
            >
              <h4 id="confirm-title">Confirm {pending}?</h4>
              <p id="confirm-text">{WARN[pending]}</p>
              <div className="row">
                <button type="button" className="danger" onClick={() => void apply(pending)}>
                  Yes, {pending === 'normal' ? 'release' : `start ${pending}`}
                </button>
                <button type="button" onClick={() => setPending(null)}>
                  Cancel
                </button>
              </div>
            </div>
          ) : null}
        </div>
        <form className="card" aria-label="Open a door" onSubmit={(e) => void open(e)}>
          <h3>Open a door with a customer's PIN</h3>
          <label>
            Door
            <select value={doorId} onChange={(e) => setDoorId(e.target.value)}>
              {doors.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            PIN
            <input value={pin} onChange={(e) => setPin(e.target.value)} inputMode="numeric" maxLength={32} />
          </label>
          <button type="submit" disabled={pin.trim() === '' || doorId === ''}>
            Open door
          </button>
          {result ? <p role="status">{result}</p> : null}
        </form>
        <DoorUnlockCard api={api} doors={doors} onDone={onDone} />
      </div>
    </section>
  );
}
