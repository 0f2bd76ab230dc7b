import { beforeEach, describe, expect, it } from 'vitest';
import { createContact, sdkFailure, useHubspot } from '../testing/hubspot-client.js';

const suite = useHubspot();
let contactId: string;

const dealTo = (id: string, typeId = 3) => [
  { to: { id }, types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: typeId }] },
];

beforeEach(async () => {
  contactId = (await createContact(suite.client, { email: 'kim@example.com' })).id;
});

describe('deals, notes and associations', () => {
  it('creates a deal associated to the contact with type 3, both directions stored', async () => {
    const deal = await suite.client.crm.deals.basicApi.create({
      properties: {
        dealname: 'Bay 3 — 2026-11-25 18:00',
        amount: '45.00',
        pipeline: 'default',
        dealstage: 'closedwon',
        closedate: '2026-11-25T18:00:00.000Z',
      },
      associations: dealTo(contactId),
    });
    expect(deal.properties).toMatchObject({ dealname: 'Bay 3 — 2026-11-25 18:00', amount: '45.00' });
    expect(suite.sim.state.associations()).toEqual([
      {
        fromObjectType: 'deals',
        fromObjectId: deal.id,
        toObjectType: 'contacts',
        toObjectId: contactId,
        associationCategory: 'HUBSPOT_DEFINED',
        associationTypeId: 3,
      },
      {
        fromObjectType: 'contacts',
        fromObjectId: contactId,
        toObjectType: 'deals',
        toObjectId: deal.id,
        associationCategory: 'HUBSPOT_DEFINED',
        associationTypeId: 4,
      },
    ]);
    const listed = await suite.client.crm.associations.v4.basicApi.getPage('contacts', contactId, 'deals');
    expect(listed.results.map((r) => String(r.toObjectId))).toEqual([deal.id]);
  });

  it('refuses a deal with an unknown stage, a wrong association type, or a missing contact', async () => {
    const stage = await sdkFailure(
      suite.client.crm.deals.basicApi.create({
        properties: { dealname: 'x', dealstage: 'won' },
        associations: [],
      }),
    );
    expect(stage.code).toBe(400);
    expect(stage.body.errors).toMatchObject([
      { code: 'INVALID_OPTION', context: { propertyName: ['dealstage'] } },
    ]);
    const wrongType = await sdkFailure(
      suite.client.crm.deals.basicApi.create({
        properties: { dealname: 'x' },
        associations: dealTo(contactId, 202),
      }),
    );
    expect(wrongType.code).toBe(400);
    expect(wrongType.body.message).toContain('associationTypeId 202');
    const ghost = await sdkFailure(
      suite.client.crm.deals.basicApi.create({
        properties: { dealname: 'x' },
        associations: dealTo('424242'),
      }),
    );
    expect(ghost.code).toBe(400);
    expect(suite.sim.state.deals()).toHaveLength(0);
  });

  it('requires hs_timestamp on a note and associates it with type 202', async () => {
    const missing = await sdkFailure(
      suite.client.crm.objects.notes.basicApi.create({
        properties: { hs_note_body: 'Booked bay 3' },
        associations: dealTo(contactId, 202),
      }),
    );
    expect(missing.code).toBe(400);
    expect(missing.body.errors).toMatchObject([
      { code: 'REQUIRED_FIELD', context: { propertyName: ['hs_timestamp'] } },
    ]);

    const note = await suite.client.crm.objects.notes.basicApi.create({
      properties: { hs_timestamp: '2026-11-25T18:00:00.000Z', hs_note_body: 'Booked bay 3' },
      associations: dealTo(contactId, 202),
    });
    expect(suite.sim.state.notes()[0]?.properties.hs_note_body).toBe('Booked bay 3');
    expect(suite.sim.state.associations()).toContainEqual(
      expect.objectContaining({
        fromObjectType: 'notes',
        fromObjectId: note.id,
        toObjectId: contactId,
        associationTypeId: 202,
      }),
    );
  });

  it('makes a default association after the fact (v4 PUT …/associations/default/…)', async () => {
    const deal = await suite.client.crm.deals.basicApi.create({
      properties: { dealname: 'later' },
      associations: [],
    });
    const answer = await suite.client.crm.associations.v4.basicApi.createDefault(
      'deals',
      deal.id,
      'contacts',
      contactId,
    );
    expect(answer.status).toBe('COMPLETE');
    expect(answer.results).toContainEqual(
      expect.objectContaining({ _from: { id: deal.id }, to: { id: contactId } }),
    );
    expect(suite.sim.state.associations()).toContainEqual(
      expect.objectContaining({ fromObjectId: deal.id, toObjectId: contactId, associationTypeId: 3 }),
    );
    const missing = await sdkFailure(
      suite.client.crm.associations.v4.basicApi.createDefault('deals', deal.id, 'contacts', '99999'),
    );
    expect(missing.code).toBe(404);
  });

  it('reads an object by id with the default or the requested properties', async () => {
    await suite.client.crm.contacts.basicApi.update(contactId, {
      properties: { firstname: 'Kim', phone: '+15555550100' },
    });
    const plain = await suite.client.crm.contacts.basicApi.getById(contactId);
    expect(Object.keys(plain.properties).sort()).toEqual(
      ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'].sort(),
    );
    const picked = await suite.client.crm.contacts.basicApi.getById(contactId, ['phone']);
    expect(picked.properties.phone).toBe('+15555550100');
    expect(picked.properties.email).toBeUndefined();
  });
});
