/** The edge change stream as an edge reads it, for the stream suites (edge-stream, cluster). */
export interface OpenStream {
  status: number;
  heads: number[];
  facilities: string[];
  heartbeats: () => number;
  ended: () => boolean;
  close: () => void;
}

/** A minimal Server-Sent Events reader over fetch (what any edge HTTP client would do). */
export async function openStream(url: string, authorization: string): Promise<OpenStream> {
  const controller = new AbortController();
  const res = await fetch(url, { headers: { authorization }, signal: controller.signal });
  const stream: OpenStream = {
    status: res.status,
    heads: [],
    facilities: [],
    heartbeats: () => heartbeats,
    ended: () => ended,
    close: () => controller.abort(),
  };
  let heartbeats = 0;
  let ended = !res.ok;
  if (!res.ok || res.body === null) return stream;
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  void (async () => {
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let cut = buffer.indexOf('\n\n');
      while (cut >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        if (block.startsWith(':')) heartbeats++;
        const data = block.split('\n').find((l) => l.startsWith('data: '));
        if (block.includes('event: head') && data) {
          const parsed = JSON.parse(data.slice(6)) as { head: number; facility_id: string };
          stream.heads.push(parsed.head);
          stream.facilities.push(parsed.facility_id);
        }
        cut = buffer.indexOf('\n\n');
      }
    }
  })()
    .catch(() => undefined)
    .finally(() => {
      ended = true;
    });
  return stream;
}

/** Polls `check` every 10 ms until it holds or `ms` pass; answers whether it held. */
export async function until(check: () => boolean, ms = 5_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 10));
  }
  return check();
}
