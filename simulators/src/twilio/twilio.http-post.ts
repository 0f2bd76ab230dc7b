import http from 'node:http';
import https from 'node:https';

export interface PostAnswer {
  status: number;
  contentType: string | null;
  body: string;
}

/**
 * One form POST over node:http with keep-alive agents: at thousands of webhooks a minute, fetch
 * (undici) cost this simulator several times the CPU of a plain request, and opened a socket per
 * concurrent call.
 */
export class FormPoster {
  private readonly agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: 64 }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: 64 }),
  };

  post(url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<PostAnswer> {
    const target = new URL(url);
    const protocol = target.protocol === 'https:' ? 'https:' : 'http:';
    const send = protocol === 'https:' ? https.request : http.request;
    return new Promise((resolve, reject) => {
      const request = send(
        target,
        {
          method: 'POST',
          agent: this.agents[protocol],
          headers: { ...headers, 'content-length': Buffer.byteLength(body) },
          signal: AbortSignal.timeout(timeoutMs),
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              contentType: response.headers['content-type'] ?? null,
              body: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  }

  close(): void {
    this.agents['http:'].destroy();
    this.agents['https:'].destroy();
  }
}
