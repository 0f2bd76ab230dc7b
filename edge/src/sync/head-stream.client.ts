import { decodeFeedHeadEvent, FEED_HEAD_EVENT } from '@clubos/shared/sync';
import { FeedError } from './cloud-feed.js';

export interface HeadStreamOptions {
  baseUrl: string;
  edgeKey: string;
  /** The heartbeat the cloud is asked for; a stream silent for 2.5× this long is presumed dead. */
  heartbeatMs: number;
  connectTimeoutMs: number;
}

/** One Server-Sent Events block → its event name and data (comments and `retry:` lines give none). */
export function parseSseBlock(block: string): { event: string; data: string } | null {
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split(/\r?\n/)) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  return data.length === 0 ? null : { event, data: data.join('\n') };
}

/**
 * Follows `GET /api/v1/edge/changes/stream` (SSE) and calls `onHead` with each head the cloud sends
 * (on connect and on every change of this edge's facility). Resolves when the stream ends or
 * `signal` aborts; rejects with a FeedError when it cannot be opened or goes silent past the
 * heartbeat (a half-open connection through a dead line would otherwise look alive for hours).
 */
export async function followHeads(
  options: HeadStreamOptions,
  onHead: (head: number) => void,
  signal: AbortSignal,
): Promise<void> {
  const local = new AbortController();
  const stop = () => local.abort();
  signal.addEventListener('abort', stop, { once: true });
  let silentFor = 0;
  const watchdog = setInterval(() => {
    silentFor += options.heartbeatMs / 2;
    if (silentFor >= options.heartbeatMs * 2.5)
      local.abort(new FeedError('retry', 'stream: heartbeat missed', null, true));
  }, options.heartbeatMs / 2);
  const connectTimer = setTimeout(
    () => local.abort(new FeedError('retry', 'stream: connect timed out', null, true)),
    options.connectTimeoutMs,
  );
  try {
    const url = `${options.baseUrl}/api/v1/edge/changes/stream?heartbeat_ms=${options.heartbeatMs}`;
    const res = await fetch(url, {
      headers: { authorization: `Edge ${options.edgeKey}`, accept: 'text/event-stream' },
      signal: local.signal,
    });
    clearTimeout(connectTimer);
    if (res.status === 401 || res.status === 403)
      throw new FeedError('auth', `stream: edge key refused (${res.status})`);
    if (res.status === 429 || res.status >= 500)
      throw new FeedError('retry', `stream: cloud answered ${res.status}`);
    if (!res.ok || res.body === null) throw new FeedError('fatal', `stream: cloud answered ${res.status}`);
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      silentFor = 0;
      buffer += value;
      for (let cut = buffer.search(/\r?\n\r?\n/); cut >= 0; cut = buffer.search(/\r?\n\r?\n/)) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut).replace(/^\r?\n\r?\n/, '');
        const message = parseSseBlock(block);
        if (message?.event !== FEED_HEAD_EVENT) continue;
        const decoded = decodeFeedHeadEvent(message.data);
        // A cloud that sends garbage is not trusted to be alive: reconnect (long-poll meanwhile).
        if (!decoded.ok) throw new FeedError('retry', `stream: ${decoded.error}`);
        onHead(decoded.value.head);
      }
    }
  } catch (error) {
    if (signal.aborted) return;
    if (error instanceof FeedError) throw error;
    const reason = local.signal.reason;
    if (reason instanceof FeedError) throw reason;
    throw new FeedError(
      'retry',
      `stream: ${error instanceof Error ? error.message : String(error)}`,
      null,
      true,
    );
  } finally {
    clearInterval(watchdog);
    clearTimeout(connectTimer);
    signal.removeEventListener('abort', stop);
    local.abort();
  }
}
