import { Agent as HttpsAgent } from 'node:https';
import axios, { type AxiosInstance } from 'axios';

export interface TlsOptions {
  /**
   * PEM of the certificate (or CA) to trust. UniFi consoles serve a self-signed certificate: pin it
   * here rather than turning verification off.
   */
  ca?: string | Buffer;
  /** Skip the host-name check when pinning (the console's certificate rarely names its LAN IP). */
  verifyHostname?: boolean;
  /** `false` accepts any certificate. Only for a LAN you trust; prefer `ca`. */
  rejectUnauthorized?: boolean;
}

export interface HttpClientOptions {
  baseURL: string;
  timeoutMs: number;
  tls?: TlsOptions;
  headers?: Record<string, string>;
}

/**
 * An axios instance that never throws on an HTTP status: the clients classify every answer
 * themselves (status and body), and transport failures still throw.
 */
export function createHttpClient(options: HttpClientOptions): AxiosInstance {
  const tls = options.tls ?? {};
  const httpsAgent = new HttpsAgent({
    keepAlive: true,
    ...(tls.ca ? { ca: tls.ca } : {}),
    rejectUnauthorized: tls.rejectUnauthorized ?? true,
    ...(tls.ca && tls.verifyHostname === false ? { checkServerIdentity: () => undefined } : {}),
  });
  return axios.create({
    baseURL: options.baseURL,
    timeout: options.timeoutMs,
    httpsAgent,
    headers: options.headers,
    validateStatus: () => true,
    // Redirects from an API we drive are a misconfiguration, not something to follow silently.
    maxRedirects: 0,
  });
}
