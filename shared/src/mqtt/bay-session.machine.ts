import type { BayCommand } from './bay-command.schema.js';
import type { BayStateMessage } from './bay-state.schema.js';

/**
 * The order a bay follows: prepare → start → warn* → end → cleanup → idle. Pure, so the bay
 * agent applies it and the edge can predict what a device will report. QoS 1 redelivers, hence
 * duplicates (same `command_id`) change nothing; a command that arrives out of order puts the bay
 * in `error` with a reason instead of being guessed at, so staff see it.
 */
export type BaySession = Omit<BayStateMessage, 'bay_id' | 'updated_at'>;

export type BayCommandOutcome =
  | { outcome: 'applied'; session: BaySession }
  | { outcome: 'duplicate'; session: BaySession }
  | { outcome: 'rejected'; session: BaySession; reason: string };

export function idleBaySession(): BaySession {
  return {
    status: 'idle',
    booking_id: null,
    last_command_id: null,
    rejected_command_id: null,
    reason: null,
    minutes_left: null,
    ends_at: null,
  };
}

function reject(session: BaySession, command: BayCommand, reason: string): BayCommandOutcome {
  return {
    outcome: 'rejected',
    reason,
    session: { ...session, status: 'error', rejected_command_id: command.command_id, reason },
  };
}

function describe(session: BaySession): string {
  return session.booking_id === null ? session.status : `${session.status} for booking ${session.booking_id}`;
}

function applied(session: BaySession, command: BayCommand, change: Partial<BaySession>): BayCommandOutcome {
  return {
    outcome: 'applied',
    session: { ...session, reason: null, ...change, last_command_id: command.command_id },
  };
}

export function applyBayCommand(session: BaySession, command: BayCommand): BayCommandOutcome {
  if (command.command_id === session.last_command_id || command.command_id === session.rejected_command_id) {
    return { outcome: 'duplicate', session };
  }
  const sameBooking = session.booking_id === command.booking_id;
  const outOfOrder = () =>
    reject(session, command, `${command.type} for booking ${command.booking_id} while ${describe(session)}`);

  switch (command.type) {
    case 'session.prepare': {
      // A new session may follow an idle bay, a bay still cleaning up (back-to-back bookings) or
      // an error (the edge recovers a bay by preparing it again); re-preparing the same booking
      // refreshes its preferences.
      const free = session.status === 'idle' || session.status === 'cleanup' || session.status === 'error';
      if (!free && !(session.status === 'preparing' && sameBooking)) return outOfOrder();
      return applied(session, command, {
        status: 'preparing',
        booking_id: command.booking_id,
        minutes_left: null,
        ends_at: command.ends_at,
      });
    }
    case 'session.start': {
      const startable = session.status === 'preparing' || session.status === 'in_session';
      if (!startable || !sameBooking) return outOfOrder();
      return applied(session, command, { status: 'in_session', ends_at: command.ends_at });
    }
    case 'session.warn': {
      if (session.status !== 'in_session' || !sameBooking) return outOfOrder();
      return applied(session, command, { minutes_left: command.minutes_left });
    }
    case 'session.end': {
      // Ending from `error` is how the edge clears a failed session whatever booking it was.
      if (session.status === 'error') {
        return applied(session, command, {
          status: 'cleanup',
          booking_id: command.booking_id,
          minutes_left: 0,
        });
      }
      const running = session.status === 'preparing' || session.status === 'in_session';
      if (session.status === 'cleanup' && sameBooking) return applied(session, command, {});
      if (!running || !sameBooking) return outOfOrder();
      return applied(session, command, { status: 'cleanup', minutes_left: 0 });
    }
  }
}

/** The device finished cleaning the bay (timer on the device): back to idle for the next booking. */
export function finishCleanup(session: BaySession): BaySession {
  if (session.status !== 'cleanup') return session;
  return { ...session, status: 'idle', booking_id: null, minutes_left: null, ends_at: null, reason: null };
}
