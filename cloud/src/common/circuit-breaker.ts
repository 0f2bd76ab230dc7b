import { DomainError } from '@clubos/shared/errors';
import CircuitBreaker from 'opossum';

export type BreakerState = 'closed' | 'open' | 'half_open';
export type Dependency = 'hubspot' | 'stripe' | 'smtp' | 'twilio';

export interface BreakerSettings {
  /** Failed calls (and more than half the calls of the last 10 s) that open the breaker. */
  failures: number;
  /** How long it stays open (failing fast) before one trial call goes through. */
  openMs: number;
}

const NAMES: Record<Dependency, string> = {
  hubspot: 'HubSpot',
  stripe: 'Stripe',
  smtp: 'The mail server',
  twilio: 'Twilio',
};

/** An answer that a breaker counts as a failure but the caller still receives (a 5xx response object). */
export class FailedAnswer<T> extends Error {
  constructor(readonly answer: T) {
    super('the dependency answered with a server error');
  }
}

/**
 * One opossum breaker around every call to an outside service (decision 012, "Circuit breakers").
 * While open, a call fails at once with `DEPENDENCY_UNAVAILABLE` and nothing is sent: the outbox or
 * job that made the call keeps its item and retries later, as on a refused connection. `counts`
 * says which errors are the service's fault (timeouts, 5xx, refused connections); a refusal of one
 * request (4xx, a bounced address) never opens it.
 */
export class DependencyBreaker {
  private readonly breaker: CircuitBreaker<[() => Promise<unknown>], unknown>;

  constructor(
    readonly dependency: Dependency,
    private readonly settings: BreakerSettings,
    counts: (error: unknown) => boolean = () => true,
  ) {
    this.breaker = new CircuitBreaker((run: () => Promise<unknown>) => run(), {
      // The clients have their own timeouts; a timeout they raise counts as a failure here.
      timeout: false,
      resetTimeout: settings.openMs,
      volumeThreshold: settings.failures,
      errorThresholdPercentage: 50,
      rollingCountTimeout: 10_000,
      errorFilter: (error: unknown) => (error instanceof FailedAnswer ? false : !counts(error)),
    });
  }

  get state(): BreakerState {
    return this.breaker.opened ? 'open' : this.breaker.halfOpen ? 'half_open' : 'closed';
  }

  /** Runs `call` through the breaker; a `FailedAnswer` counts as a failure and its answer is returned. */
  async call<T>(call: () => Promise<T>): Promise<T> {
    try {
      return (await this.breaker.fire(call)) as T;
    } catch (error) {
      if (error instanceof FailedAnswer) return error.answer as T;
      if ((error as { code?: unknown }).code === 'EOPENBREAKER') {
        throw new DomainError(
          'DEPENDENCY_UNAVAILABLE',
          `${NAMES[this.dependency]} is failing, so calls to it are paused for up to ` +
            `${Math.ceil(this.settings.openMs / 1000)} s (circuit breaker open); queued work is retried then`,
        );
      }
      throw error;
    }
  }

  shutdown(): void {
    this.breaker.shutdown();
  }
}

/** A call refused by an open breaker (nothing was sent: safe to send again, not the item's fault). */
export const isBreakerOpen = (error: unknown): boolean =>
  error instanceof DomainError && error.code === 'DEPENDENCY_UNAVAILABLE';

/** The four breakers of an instance, built once in the composition root. */
export class DependencyBreakers {
  readonly hubspot: DependencyBreaker;
  readonly stripe: DependencyBreaker;
  readonly smtp: DependencyBreaker;
  readonly twilio: DependencyBreaker;

  constructor(settings: BreakerSettings) {
    this.hubspot = new DependencyBreaker('hubspot', settings, transportOrServerError);
    this.stripe = new DependencyBreaker('stripe', settings);
    this.smtp = new DependencyBreaker('smtp', settings, smtpUnavailable);
    this.twilio = new DependencyBreaker('twilio', settings, transportOrServerError);
  }

  states(): Record<Dependency, BreakerState> {
    return {
      hubspot: this.hubspot.state,
      stripe: this.stripe.state,
      smtp: this.smtp.state,
      twilio: this.twilio.state,
    };
  }

  shutdown(): void {
    for (const breaker of [this.hubspot, this.stripe, this.smtp, this.twilio]) breaker.shutdown();
  }
}

/** HTTP SDK errors: a numeric status ≥ 500 (or none at all: a transport error) is the service's fault. */
function transportOrServerError(error: unknown): boolean {
  const e = error as { code?: unknown; status?: unknown };
  const status = typeof e.status === 'number' ? e.status : typeof e.code === 'number' ? e.code : undefined;
  return status === undefined || status >= 500;
}

/** SMTP: no reply code (connection, TLS, timeout) or 421 "service not available" is the server's fault. */
function smtpUnavailable(error: unknown): boolean {
  const code = (error as { responseCode?: unknown }).responseCode;
  return typeof code !== 'number' || code === 421;
}
