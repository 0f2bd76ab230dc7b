import { type Board, type Booking, clock } from './console-api.js';

const STATUS_LABEL: Record<string, string> = {
  pending: 'Pending',
  confirmed: 'Not checked in',
  checked_in: 'Checked in',
  completed: 'Completed',
  cancelled: 'Cancelled',
  no_show: 'No-show',
};

function Slot({ label, booking, tz }: { label: string; booking: Booking | null; tz: string }) {
  return (
    <div className="slot">
      <span className="slot-label">{label}</span>
      {booking === null ? (
        <span className="muted">—</span>
      ) : (
        <span>
          <strong>
            {clock(booking.start_time, tz)}–{clock(booking.end_time, tz)}
          </strong>{' '}
          {booking.customer_name ?? 'Walk-in'} · <code>{booking.reference_code}</code>{' '}
          <span className={`chip ${booking.status}`}>{STATUS_LABEL[booking.status] ?? booking.status}</span>
          {booking.provisional ? <span className="chip warn">Provisional</span> : null}
        </span>
      )}
    </div>
  );
}

export function BoardPanel({ board }: { board: Board }) {
  return (
    <section aria-labelledby="board-title">
      <h2 id="board-title">Bays</h2>
      <div className="bays">
        {board.bays.map((bay) => (
          <article key={bay.simulator_id} className="card bay" aria-label={bay.name}>
            <header>
              <h3>{bay.name}</h3>
              <span className={`chip ${bay.device_presence === 'online' ? 'ok' : 'off'}`}>
                PC {bay.device_presence}
              </span>
              {bay.status !== 'active' ? <span className="chip warn">{bay.status}</span> : null}
            </header>
            <Slot label="Now" booking={bay.now} tz={board.timezone} />
            <Slot label="Next" booking={bay.next} tz={board.timezone} />
            <div className="slot">
              <span className="slot-label">Session</span>
              <span>{bay.session_step ?? <span className="muted">idle</span>}</span>
            </div>
          </article>
        ))}
      </div>
    </section>
  );
}

const HOUR = 3_600_000;

/** Today's bookings per bay on one hour axis (the facility's day, in its zone). */
export function TimelinePanel({ board }: { board: Board }) {
  const all = board.bays.flatMap((b) => b.bookings).filter((b) => b.status !== 'cancelled');
  const now = Date.now();
  const from = Math.min(now - HOUR, ...all.map((b) => Date.parse(b.start_time)));
  const to = Math.max(now + 4 * HOUR, ...all.map((b) => Date.parse(b.end_time)));
  const pct = (t: number) => `${((t - from) / (to - from)) * 100}%`;
  return (
    <section aria-labelledby="timeline-title">
      <h2 id="timeline-title">Today ({board.date})</h2>
      <div className="timeline">
        {board.bays.map((bay) => (
          <div key={bay.simulator_id} className="lane">
            <span className="lane-name">{bay.name}</span>
            <div className="lane-track">
              <span className="now-line" style={{ left: pct(now) }} />
              {bay.bookings
                .filter((b) => b.status !== 'cancelled')
                .map((b) => (
                  <span
                    key={b.id}
                    className={`block ${b.status}`}
                    style={{
                      left: pct(Date.parse(b.start_time)),
                      width: pct(from + Date.parse(b.end_time) - Date.parse(b.start_time)),
                    }}
                    title={`${clock(b.start_time, board.timezone)}–${clock(b.end_time, board.timezone)} ${b.reference_code}`}
                  >
                    {b.reference_code}
                  </span>
                ))}
            </div>
          </div>
        ))}
      </div>
    </section>
  );
}
