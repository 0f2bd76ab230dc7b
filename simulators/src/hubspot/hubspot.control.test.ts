import { describe, expect, it } from 'vitest';
import { callControl } from '../testing/control-client.js';
import { createContact, sdkFailure, useHubspot } from '../testing/hubspot-client.js';

const suite = useHubspot({ searchLagMs: 5000 });

interface ControlBody {
  results: Array<Record<string, unknown>>;
  message: string;
  tenSecondlyMax: number;
  ms: number;
}

const control = (method: string, path: string, body?: unknown) =>
  callControl<ControlBody>(suite.sim.url, method, path, body);

describe('control API over HTTP (no token needed, not rate limited, not logged)', () => {
  it('inspects contacts, associations and the request log', async () => {
    const c = await createContact(suite.client, { email: 'lee@example.com' });
    await suite.client.crm.deals.basicApi.create({
      properties: { dealname: 'd' },
      associations: [
        {
          to: { id: c.id },
          types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 3 }],
        },
      ],
    });
    expect((await control('GET', '/objects/contacts')).body.results).toMatchObject([
      { id: c.id, properties: { email: 'lee@example.com' } },
    ]);
    expect((await control('GET', '/associations')).body.results).toHaveLength(2);
    const log = (await control('GET', '/requests')).body.results as Array<{ path: string; body: unknown }>;
    expect(log.map((r) => r.path)).toEqual(['/crm/v3/objects/contacts', '/crm/v3/objects/deals']);
    expect(log[0]?.body).toEqual({ properties: { email: 'lee@example.com' }, associations: [] });
    expect((await control('DELETE', '/requests')).status).toBe(204);
    expect((await control('GET', '/requests')).body.results).toEqual([]);
  });

  it('sets the window limit, search lag and faults, and refuses bad settings with a 400', async () => {
    expect((await control('PUT', '/rate-limits', { tenSecondlyMax: 1 })).body.tenSecondlyMax).toBe(1);
    await suite.client.crm.properties.coreApi.getAll('contacts');
    expect((await sdkFailure(suite.client.crm.properties.coreApi.getAll('contacts'))).code).toBe(429);
    expect((await control('POST', '/rate-limits/reset')).status).toBe(204);
    await expect(suite.client.crm.properties.coreApi.getAll('contacts')).resolves.toBeDefined();

    const bad = await control('PUT', '/rate-limits', { tenSecondlyMax: -5 });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('/tenSecondlyMax');
    expect((await control('PUT', '/rate-limits', { perMinute: 5 })).status).toBe(400);

    expect((await control('PUT', '/search-lag', { ms: 0 })).body).toEqual({ ms: 0 });
    expect(suite.sim.control.searchLag()).toBe(0);

    const fault = await control('POST', '/faults', { kind: 'server_error', status: 502, count: 1 });
    expect(fault.status).toBe(201);
    expect((await control('POST', '/faults', { kind: 'meteor' })).status).toBe(400);
    suite.sim.control.resetRateLimitCounters();
    expect((await sdkFailure(suite.client.crm.properties.coreApi.getAll('contacts'))).code).toBe(502);
    expect((await control('GET', '/faults')).body.results).toEqual([]);
  });

  it('reset empties the portal', async () => {
    await createContact(suite.client, { email: 'x@example.com' });
    expect((await control('POST', '/reset')).status).toBe(204);
    expect(suite.sim.state.contacts()).toEqual([]);
    expect((await control('GET', '/objects/widgets')).status).toBe(400);
  });
});
