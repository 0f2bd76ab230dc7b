import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { NinjaApiError } from './ninjaone.types.js';

export type Grant = 'client_credentials' | 'refresh_token';

interface AccessToken {
  token: string;
  clientId: string;
  scopes: string[];
  grant: Grant;
  expiresAt: number;
}

interface RefreshToken {
  token: string;
  clientId: string;
  scopes: string[];
}

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
}

const KNOWN_SCOPES = ['monitoring', 'management', 'control', 'offline_access'];
/** `control` (script runs, reboots) needs a user-delegated token, never a machine-to-machine one. */
const CLIENT_CREDENTIALS_SCOPES = ['monitoring', 'management'];

class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    description: string,
  ) {
    super(description);
  }
}

/** Issues and checks tokens like NinjaOne's `/ws/oauth/token`. */
export class TokenStore {
  private access = new Map<string, AccessToken>();
  private refresh = new Map<string, RefreshToken>();
  readonly issued: Array<{ grant: Grant; clientId: string; at: number }> = [];

  constructor(
    private readonly clients: OAuthClient[],
    public ttlSeconds: number,
    private readonly now: () => number,
  ) {}

  /** Stands in for the one-time authorization_code consent of an administrator. */
  issueRefreshToken(
    clientId: string,
    scopes = ['monitoring', 'management', 'control', 'offline_access'],
    token?: string,
  ): string {
    const value = token ?? `rt_${randomBytes(16).toString('hex')}`;
    this.refresh.set(value, { token: value, clientId, scopes });
    return value;
  }

  revokeRefreshToken(token: string): void {
    this.refresh.delete(token);
  }

  /** Every access token issued so far stops working (the next call answers 401). */
  expireAll(): void {
    for (const token of this.access.values()) token.expiresAt = 0;
  }

  verify(header: string | undefined, scope: string): AccessToken {
    const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
    const token = match?.[1] ? this.access.get(match[1].trim()) : undefined;
    if (!token) throw new NinjaApiError(401, 'UNAUTHORIZED', 'Missing or invalid access token');
    if (token.expiresAt <= this.now()) throw new NinjaApiError(401, 'UNAUTHORIZED', 'Access token expired');
    if (!token.scopes.includes(scope)) {
      throw new NinjaApiError(403, 'FORBIDDEN', `Access token lacks the "${scope}" scope`);
    }
    return token;
  }

  exchange(form: Record<string, unknown>): Record<string, unknown> {
    const field = (name: string) => (typeof form[name] === 'string' ? (form[name] as string) : '');
    const grant = field('grant_type');
    if (!grant) throw new OAuthError(400, 'invalid_request', 'grant_type is required');
    const client = this.clients.find((c) => c.clientId === field('client_id'));
    if (!client || client.clientSecret !== field('client_secret')) {
      throw new OAuthError(401, 'invalid_client', 'Unknown client or wrong client_secret');
    }
    const requested = field('scope').split(/\s+/).filter(Boolean);
    const unknown = requested.find((s) => !KNOWN_SCOPES.includes(s));
    if (unknown) throw new OAuthError(400, 'invalid_scope', `Unknown scope "${unknown}"`);

    if (grant === 'client_credentials') {
      const refused = requested.find((s) => !CLIENT_CREDENTIALS_SCOPES.includes(s));
      if (refused) {
        throw new OAuthError(
          400,
          'invalid_scope',
          `Scope "${refused}" is not available when using client_credentials`,
        );
      }
      return this.grant(
        client.clientId,
        requested.length ? requested : ['monitoring'],
        'client_credentials',
        null,
      );
    }
    if (grant === 'refresh_token') {
      const stored = this.refresh.get(field('refresh_token'));
      if (!stored || stored.clientId !== client.clientId) {
        throw new OAuthError(400, 'invalid_grant', 'Unknown or revoked refresh_token');
      }
      const excess = requested.find((s) => !stored.scopes.includes(s));
      if (excess)
        throw new OAuthError(400, 'invalid_scope', `Scope "${excess}" was not granted to this refresh_token`);
      return this.grant(
        client.clientId,
        requested.length ? requested : stored.scopes,
        'refresh_token',
        stored.token,
      );
    }
    throw new OAuthError(400, 'unsupported_grant_type', `grant_type "${grant}" is not supported here`);
  }

  private grant(clientId: string, scopes: string[], grant: Grant, refreshToken: string | null) {
    const token = `at_${randomBytes(16).toString('hex')}`;
    this.access.set(token, {
      token,
      clientId,
      scopes,
      grant,
      expiresAt: this.now() + this.ttlSeconds * 1000,
    });
    this.issued.push({ grant, clientId, at: this.now() });
    return {
      access_token: token,
      token_type: 'Bearer',
      expires_in: this.ttlSeconds,
      scope: scopes.join(' '),
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
    };
  }
}

export function registerOAuthRoute(app: FastifyInstance, store: TokenStore): void {
  app.post('/ws/oauth/token', async (request: FastifyRequest, reply: FastifyReply) => {
    const type = String(request.headers['content-type'] ?? '');
    if (!type.startsWith('application/x-www-form-urlencoded')) {
      return reply
        .code(400)
        .send({ error: 'invalid_request', error_description: 'Body must be form-encoded' });
    }
    try {
      return store.exchange((request.body ?? {}) as Record<string, unknown>);
    } catch (error) {
      if (error instanceof OAuthError) {
        return reply.code(error.status).send({ error: error.error, error_description: error.message });
      }
      throw error;
    }
  });
}
