import { errorEnvelope } from '@clubos/shared/http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createKioskApi, EdgeRefusal } from '../renderer/kiosk-api.js';
import { readSettings } from '../renderer/settings.js';

afterEach(() => vi.unstubAllGlobals());

describe("the kiosk's reading of the edge's refusals", () => {
  it('takes the code and the message from the shared error envelope', async () => {
    const body = errorEnvelope('SLOT_UNAVAILABLE', 'Bay 1 was just booked', 'start_time', {
      alternatives: [],
    });
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify(body), { status: 409 }));
    const api = createKioskApi(readSettings('?edge=http://edge.test&key=k'));
    const refusal = await api.walkIn('b1', '2026-12-10T16:00:00Z', 60, 'key-1').catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(EdgeRefusal);
    expect(refusal).toMatchObject({
      status: 409,
      code: 'SLOT_UNAVAILABLE',
      message: 'Bay 1 was just booked',
    });
  });
});
