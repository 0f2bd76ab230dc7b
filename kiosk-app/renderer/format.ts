export function clock(iso: string, timezone: string | undefined): string {
  return new Date(iso).toLocaleTimeString('en-CA', {
    hour: 'numeric',
    minute: '2-digit',
    ...(timezone ? { timeZone: timezone } : {}),
  });
}

/** The next whole minute: a walk-in starts now, not on the online booking grid. */
export function startNow(now = Date.now()): string {
  return new Date(Math.ceil((now + 1000) / 60_000) * 60_000).toISOString();
}

export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}
