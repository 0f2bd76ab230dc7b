import { describe, expect, it } from 'vitest';
import { decodeFeedHeadEvent, encodeFeedHeadEvent } from './feed-head-event.js';

describe('feed head event (edge push stream)', () => {
  it('round-trips through its SSE block', () => {
    const block = encodeFeedHeadEvent({ facility_id: 'f-1', head: 42 });
    expect(block).toBe('event: head\ndata: {"facility_id":"f-1","head":42}\n\n');
    const data = block.split('\n')[1]!.slice('data: '.length);
    expect(decodeFeedHeadEvent(data)).toEqual({ ok: true, value: { facility_id: 'f-1', head: 42 } });
  });

  it('reports, without throwing, data that is not JSON, a negative or fractional head, or no facility', () => {
    for (const data of [
      '{oops',
      '{"facility_id":"f","head":-1}',
      '{"facility_id":"f","head":1.5}',
      '{"head":3}',
    ]) {
      const decoded = decodeFeedHeadEvent(data);
      expect(decoded.ok, data).toBe(false);
      if (!decoded.ok) expect(decoded.error).toMatch(/^feed head event: /);
    }
  });
});
