import { describe, expect, it } from 'vitest';
import {
  createContact,
  emailFilter,
  sdkFailure,
  startWithClient,
  TOKEN,
  useHubspot,
} from '../testing/hubspot-client.js';

const suite = useHubspot();

/** Creates a custom contact property in the default group. */
const contactProperty = (name: string, label: string, type: string, fieldType: string) =>
  suite.client.crm.properties.coreApi.create('contacts', {
    name,
    label,
    type: type as never,
    fieldType: fieldType as never,
    groupName: 'contactinformation',
  });

describe('contacts through @hubspot/api-client', () => {
  it('creates a contact (201) and stores the email lower-cased', async () => {
    const created = await createContact(suite.client, { email: 'Ann@Example.com', firstname: 'Ann' });
    expect(created.id).toMatch(/^\d+$/);
    expect(created.properties).toMatchObject({
      email: 'ann@example.com',
      firstname: 'Ann',
      hs_object_id: created.id,
    });
    expect(created.createdAt).toBeInstanceOf(Date);
    expect(suite.sim.state.contacts().map((c) => c.properties.email)).toEqual(['ann@example.com']);
    expect(suite.sim.state.requests({ method: 'POST' })[0]).toMatchObject({
      path: '/crm/v3/objects/contacts',
      status: 201,
    });
  });

  it('answers 409 CONFLICT naming the existing id when the email exists', async () => {
    const first = await createContact(suite.client, { email: 'bob@example.com' });
    const failure = await sdkFailure(createContact(suite.client, { email: 'BOB@example.com' }));
    expect(failure.code).toBe(409);
    expect(failure.body).toMatchObject({
      status: 'error',
      category: 'CONFLICT',
      message: `Contact already exists. Existing ID: ${first.id}`,
    });
    expect(failure.body.correlationId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses unknown properties until the custom property is created', async () => {
    const failure = await sdkFailure(
      createContact(suite.client, { email: 'c@example.com', total_bookings: '3' }),
    );
    expect(failure.code).toBe(400);
    expect(failure.body.category).toBe('VALIDATION_ERROR');
    expect(failure.body.errors).toEqual([
      {
        message: 'Property "total_bookings" does not exist',
        code: 'PROPERTY_DOESNT_EXIST',
        context: { propertyName: ['total_bookings'] },
      },
    ]);

    const property = await contactProperty('total_bookings', 'Total bookings', 'number', 'number');
    expect(property.name).toBe('total_bookings');
    const again = await sdkFailure(contactProperty('total_bookings', 'Total bookings', 'number', 'number'));
    expect(again.code).toBe(409);
    expect((await suite.client.crm.properties.coreApi.getByName('contacts', 'total_bookings')).type).toBe(
      'number',
    );
    expect((await sdkFailure(suite.client.crm.properties.coreApi.getByName('contacts', 'nope'))).code).toBe(
      404,
    );
    const all = await suite.client.crm.properties.coreApi.getAll('contacts');
    expect(all.results.some((p) => p.name === 'total_bookings')).toBe(true);

    const ok = await createContact(suite.client, { email: 'c@example.com', total_bookings: '3' });
    expect(ok.properties.total_bookings).toBe('3');
    const notNumber = await sdkFailure(
      suite.client.crm.contacts.basicApi.update(ok.id, { properties: { total_bookings: 'many' } }),
    );
    expect(notNumber.code).toBe(400);
    expect(notNumber.body.errors).toMatchObject([{ code: 'INVALID_DECIMAL' }]);
  });

  it('refuses a field type that does not fit the property type', async () => {
    const failure = await sdkFailure(contactProperty('vip_status', 'VIP', 'bool', 'text'));
    expect(failure.code).toBe(400);
    expect(failure.body.message).toContain('fieldType text is not valid for type bool');
  });

  it('updates by id and by email (idProperty=email); an unknown one is 404', async () => {
    const c = await createContact(suite.client, { email: 'dan@example.com' });
    const byId = await suite.client.crm.contacts.basicApi.update(c.id, { properties: { firstname: 'Dan' } });
    expect(byId.properties.firstname).toBe('Dan');
    const byEmail = await suite.client.crm.contacts.basicApi.update(
      'dan@example.com',
      { properties: { lastname: 'Ng' } },
      'email',
    );
    expect(byEmail.id).toBe(c.id);
    expect(suite.sim.state.contactByEmail('dan@example.com')?.properties).toMatchObject({
      firstname: 'Dan',
      lastname: 'Ng',
    });
    const missing = await sdkFailure(
      suite.client.crm.contacts.basicApi.update('nobody@example.com', { properties: {} }, 'email'),
    );
    expect(missing.code).toBe(404);
    expect(missing.body.category).toBe('OBJECT_NOT_FOUND');
    expect(
      (await sdkFailure(suite.client.crm.contacts.basicApi.update('999999', { properties: {} }))).code,
    ).toBe(404);
  });

  it('search is eventually consistent: a new contact appears only after the lag', async () => {
    let now = Date.parse('2026-11-25T15:00:00.000Z');
    await suite.sim.close();
    Object.assign(suite, await startWithClient({ clock: () => now, searchLagMs: 2000 }));
    await createContact(suite.client, { email: 'eve@example.com', firstname: 'Eve' });
    const early = await suite.client.crm.contacts.searchApi.doSearch(emailFilter('eve@example.com'));
    expect(early.total).toBe(0);
    // A read by id is strongly consistent, unlike search.
    const byEmail = await suite.client.crm.contacts.basicApi.getById(
      'eve@example.com',
      ['firstname'],
      undefined,
      undefined,
      false,
      'email',
    );
    expect(byEmail.properties.firstname).toBe('Eve');
    now += 2000;
    const late = await suite.client.crm.contacts.searchApi.doSearch(emailFilter('EVE@example.com'));
    expect(late.total).toBe(1);
    expect(late.results[0]?.properties).toMatchObject({ email: 'eve@example.com', firstname: 'Eve' });
  });

  it('search pages with limit/after and refuses a limit above 200', async () => {
    for (const n of [1, 2, 3]) {
      await suite.client.crm.contacts.basicApi.create({
        properties: { email: `p${n}@example.com` },
        associations: [],
      });
    }
    const page1 = await suite.client.crm.contacts.searchApi.doSearch({
      filterGroups: [],
      limit: 2,
      properties: ['email'],
    });
    expect(page1.total).toBe(3);
    expect(page1.results).toHaveLength(2);
    const page2 = await suite.client.crm.contacts.searchApi.doSearch({
      filterGroups: [],
      limit: 2,
      after: page1.paging?.next?.after,
      properties: ['email'],
    });
    expect(page2.results.map((r) => r.properties.email)).toEqual(['p3@example.com']);
    expect(page2.paging).toBeUndefined();
    const tooMany = await sdkFailure(
      suite.client.crm.contacts.searchApi.doSearch({ filterGroups: [], limit: 201 }),
    );
    expect(tooMany.code).toBe(400);
    expect(tooMany.body.message).toContain('/limit');
  });

  it('batch upsert by email creates and updates in one call, reporting which were new', async () => {
    const existing = await createContact(suite.client, { email: 'old@example.com' });
    const answer = await suite.client.crm.contacts.batchApi.upsert({
      inputs: [
        { id: 'old@example.com', idProperty: 'email', properties: { firstname: 'Old' } },
        { id: 'New@example.com', idProperty: 'email', properties: { firstname: 'New' } },
      ],
    });
    expect(answer.status).toBe('COMPLETE');
    const byEmail = Object.fromEntries(answer.results.map((r) => [r.properties.email, r]));
    // The SDK renames the wire field `new` to `_new`.
    expect(byEmail['old@example.com']).toMatchObject({ id: existing.id, _new: false });
    expect(byEmail['new@example.com']).toMatchObject({ _new: true });
    expect(suite.sim.state.contacts()).toHaveLength(2);
    const wire = await fetch(`${suite.sim.url}/crm/v3/objects/contacts/batch/upsert`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ inputs: [{ id: 'old@example.com', idProperty: 'email', properties: {} }] }),
    });
    expect(await wire.json()).toMatchObject({
      status: 'COMPLETE',
      results: [{ id: existing.id, new: false }],
    });
  });

  it('batch upsert refuses more than 100 inputs, duplicates, and a bad property without writing any', async () => {
    const inputs = Array.from({ length: 101 }, (_, i) => ({
      id: `u${i}@example.com`,
      idProperty: 'email',
      properties: {},
    }));
    const tooMany = await sdkFailure(suite.client.crm.contacts.batchApi.upsert({ inputs }));
    expect(tooMany.code).toBe(400);
    expect(tooMany.body.message).toContain('at most 100');
    const dup = await sdkFailure(
      suite.client.crm.contacts.batchApi.upsert({
        inputs: [
          { id: 'a@example.com', idProperty: 'email', properties: {} },
          { id: 'A@example.com', idProperty: 'email', properties: {} },
        ],
      }),
    );
    expect(dup.body.message).toContain('Duplicate IDs');
    const bad = await sdkFailure(
      suite.client.crm.contacts.batchApi.upsert({
        inputs: [
          { id: 'ok@example.com', idProperty: 'email', properties: { firstname: 'Ok' } },
          { id: 'bad@example.com', idProperty: 'email', properties: { nope: 'x' } },
        ],
      }),
    );
    expect(bad.code).toBe(400);
    expect(suite.sim.state.contacts()).toHaveLength(0);
  });

  it('answers 401 INVALID_AUTHENTICATION to a wrong token, with JSON', async () => {
    const { Client: SdkClient } = await import('@hubspot/api-client');
    const wrong = new SdkClient({
      accessToken: 'pat-wrong',
      basePath: suite.sim.url,
      numberOfApiCallRetries: 0,
    });
    const failure = await sdkFailure(
      wrong.crm.contacts.basicApi.create({ properties: { email: 'x@example.com' }, associations: [] }),
    );
    expect(failure.code).toBe(401);
    expect(failure.body.category).toBe('INVALID_AUTHENTICATION');
    const raw = await fetch(`${suite.sim.url}/crm/v3/objects/contacts/search`, { method: 'POST' });
    expect(raw.status).toBe(401);
    expect(raw.headers.get('content-type')).toMatch(/^application\/json/);
    expect(suite.sim.state.contacts()).toHaveLength(0);
  });

  it('answers malformed JSON and unknown routes with the HubSpot envelope as JSON', async () => {
    const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
    const bad = await fetch(`${suite.sim.url}/crm/v3/objects/contacts`, {
      method: 'POST',
      headers,
      body: '{"properties":',
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await bad.json()).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
    const missing = await fetch(`${suite.sim.url}/crm/v3/nothing`, { headers });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ status: 'error', category: 'OBJECT_NOT_FOUND' });
    const noProps = await fetch(`${suite.sim.url}/crm/v3/objects/contacts`, {
      method: 'POST',
      headers,
      body: '{}',
    });
    expect(noProps.status).toBe(400);
    expect(((await noProps.json()) as { message: string }).message).toContain('properties');
  });
});
