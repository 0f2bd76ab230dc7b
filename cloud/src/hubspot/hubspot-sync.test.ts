import { describe, expect, it, vi } from 'vitest';
import { drain, guestBooking, hubspotSuite, jump, slot } from '../testing/hubspot.js';
import { testDatabases } from '../testing/test-app.js';
import { enqueueHubspotSync } from './hubspot-outbox.repository.js';

describe.each(testDatabases())('HubSpot sync through the SDK and the simulator on %s', (kind) => {
  const h = hubspotSuite(kind);

  const contactOf = (email: string) => h.sim.state.contactByEmail(email);
  const linked = (fromType: string, fromId: string, toType: string, typeId: number) =>
    h.sim.state
      .associations()
      .filter(
        (a) =>
          a.fromObjectType === fromType &&
          a.fromObjectId === fromId &&
          a.toObjectType === toType &&
          a.associationTypeId === typeId,
      )
      .map((a) => a.toObjectId);

  it('creates the custom properties at start-up (409 on an existing one is fine)', async () => {
    const contactProps = h.sim.state.properties('contacts').map((p) => p.name);
    expect(contactProps).toEqual(
      expect.arrayContaining(['total_bookings', 'lifetime_value', 'last_booking_date', 'vip_status']),
    );
    expect(h.sim.state.properties('notes').map((p) => p.name)).toContain('clubos_event_id');
    expect(h.sim.state.properties('deals').map((p) => p.name)).toContain('clubos_event_id');
    // The SDK was told not to retry: the outbox is the one retry layer.
    expect(h.sim.state.requests({ method: 'POST', path: '/crm/v3/properties/contacts' })).toHaveLength(4);
  });

  it('upserts the contact by email with the seed properties and notes the booking', async () => {
    const booking = await guestBooking(h.t, h.facility.bayIds[0]!, slot(2, 10), {
      email: 'Pat.Golfer@Example.com',
      first_name: 'Pat',
      last_name: 'Golfer',
      phone: '+14165550100',
    });
    await drain(h);

    const contact = contactOf('pat.golfer@example.com');
    expect(contact?.properties).toMatchObject({
      email: 'pat.golfer@example.com',
      firstname: 'Pat',
      lastname: 'Golfer',
      phone: '+14165550100',
      total_bookings: '1',
      lifetime_value: '40.00',
      vip_status: 'false',
    });
    expect(Date.parse(contact!.properties.last_booking_date!)).toBeGreaterThan(0);
    // Never search-then-create: the contact came from a batch upsert.
    expect(h.sim.state.requests({ path: '/crm/v3/objects/contacts/search' })).toHaveLength(0);
    expect(h.sim.state.requests({ method: 'POST', path: '/crm/v3/objects/contacts' })).toHaveLength(0);

    const notes = h.sim.state
      .notes()
      .filter((n) => n.properties.clubos_event_id === `note:${booking.id}:booking.created`);
    expect(notes).toHaveLength(1);
    expect(notes[0]!.properties.hs_note_body).toContain('Booking created');
    expect(notes[0]!.properties.hs_note_body).toContain('Bay 1');
    expect(linked('notes', notes[0]!.id, 'contacts', 202)).toEqual([contact!.id]);

    const status = await h.t.request({
      method: 'GET',
      url: `/api/v1/admin/hubspot/status?customer_id=${booking.customer_id}`,
      token: h.users.admin,
    });
    expect(status.json().customers[0]).toMatchObject({
      hubspot_contact_id: contact!.id,
      state: 'synced',
      pending: 0,
      failed: 0,
    });
  });

  it('opens one deal for a group booking above the threshold and closes it lost on cancellation', async () => {
    const res = await h.t.request({
      method: 'POST',
      url: '/api/v1/bookings/group',
      token: h.users.customer,
      payload: { simulator_ids: h.facility.bayIds.slice(0, 3), start_time: slot(3, 18), duration: 60 },
    });
    expect(res.statusCode, res.body).toBe(201);
    const group = res.json() as { series_id: string; bookings: Array<{ id: string }> };
    await drain(h);

    const deals = h.sim.state
      .deals()
      .filter((d) => d.properties.clubos_event_id === `deal:${group.series_id}`);
    expect(deals).toHaveLength(1);
    const deal = deals[0]!;
    expect(deal.properties).toMatchObject({
      amount: '120.00',
      pipeline: 'default',
      dealstage: 'appointmentscheduled',
    });
    const customerEmail = (
      await h.t.request({ method: 'GET', url: '/api/v1/auth/me', token: h.users.customer })
    ).json().email as string;
    const contact = contactOf(customerEmail)!;
    expect(linked('deals', deal.id, 'contacts', 3)).toEqual([contact.id]);
    expect(contact.properties.total_bookings).toBe('3');
    // One note per bay's creation, each on the contact.
    const groupNotes = h.sim.state
      .notes()
      .filter((n) =>
        group.bookings.some((b) => n.properties.clubos_event_id === `note:${b.id}:booking.created`),
      );
    expect(groupNotes).toHaveLength(3);

    for (const b of group.bookings) {
      const cancel = await h.t.request({
        method: 'POST',
        url: `/api/v1/bookings/${b.id}/cancel`,
        token: h.users.customer,
        payload: { reason: 'team event moved' },
      });
      expect(cancel.statusCode, cancel.body).toBe(200);
    }
    await drain(h);
    const after = h.sim.state
      .deals()
      .filter((d) => d.properties.clubos_event_id === `deal:${group.series_id}`);
    expect(after).toHaveLength(1);
    expect(after[0]!.properties.dealstage).toBe('closedlost');
    const cancelNotes = h.sim.state
      .notes()
      .filter((n) => n.properties.clubos_event_id?.endsWith(':booking.cancelled'));
    expect(cancelNotes.length).toBeGreaterThanOrEqual(3);
    expect(cancelNotes[0]!.properties.hs_note_body).toContain('team event moved');
  });

  it('opens no deal for a booking below the threshold', async () => {
    const before = h.sim.state.deals().length;
    await guestBooking(h.t, h.facility.bayIds[3]!, slot(4, 9), { email: 'small@example.com' });
    await drain(h);
    expect(h.sim.state.deals()).toHaveLength(before);
    expect(contactOf('small@example.com')).toBeDefined();
  });

  it('notes a staff check-in', async () => {
    const booking = await guestBooking(h.t, h.facility.bayIds[1]!, slot(5, 12), {
      email: 'checkin@example.com',
    });
    await drain(h);
    // Ten minutes before the start, when check-in opens.
    jump(Date.parse(slot(5, 12)) - 10 * 60_000 - Date.now());
    const checkin = await h.t.request({
      method: 'POST',
      url: `/api/v1/bookings/${booking.id}/checkin`,
      token: h.users.staff,
      payload: { method: 'staff' },
    });
    expect(checkin.statusCode, checkin.body).toBe(200);
    await drain(h);
    const notes = h.sim.state
      .notes()
      .filter((n) => n.properties.clubos_event_id === `note:${booking.id}:booking.checked_in`);
    expect(notes).toHaveLength(1);
    expect(notes[0]!.properties.hs_note_body).toContain('Checked in');
  });

  it('adopts a note HubSpot created although our request timed out, instead of creating it twice', async () => {
    const booking = await guestBooking(h.t, h.facility.bayIds[2]!, slot(6, 15), {
      email: 'ambiguous@example.com',
    });
    await drain(h);
    // No-shows are reported by whoever marks them; the note is the only call of this event.
    await enqueueHubspotSync(h.t.app.db, { kind: 'booking.no_show', bookingId: booking.id });
    const eventId = `note:${booking.id}:booking.no_show`;
    // HubSpot processes the create, but only after our 2 s request timeout.
    h.sim.control.fault({ kind: 'slow', delayMs: 3_000, count: 1 });
    const first = await h.worker.runOnce();
    expect(first.interrupted).toBe('unavailable');
    await vi.waitFor(
      () => expect(h.sim.state.notes().some((n) => n.properties.clubos_event_id === eventId)).toBe(true),
      {
        timeout: 10_000,
        interval: 100,
      },
    );
    await drain(h);
    const notes = h.sim.state.notes().filter((n) => n.properties.clubos_event_id === eventId);
    expect(notes).toHaveLength(1);
    const status = await h.t.app.hubspotSync.service.status({
      customer_id: booking.customer_id,
      limit: 5,
      offset: 0,
    });
    expect(status.customers[0]!.state).toBe('synced');
    // The retry found it through the contact's associations (a consistent read), not search.
    expect(
      h.sim.state.requests({ path: /\/crm\/v4\/objects\/contacts\/\d+\/associations\/notes/ }).length,
    ).toBe(1);
    expect(h.sim.state.requests({ path: /\/search$/ })).toHaveLength(0);
  });
  it("syncs a guest booking under a member's email as that person's contact, never the internal guest key", async () => {
    // An anonymous checkout under a member's email books into a separate guest record (claimable
    // with code + PIN) whose stored email is re-keyed.
    const reg = await h.t.request({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { email: 'member.hub@example.com', password: 'member-pass-1', first_name: 'Casey' },
    });
    expect(reg.statusCode, reg.body).toBe(201);
    await guestBooking(h.t, h.facility.bayIds[1]!, slot(5, 10), {
      email: 'member.hub@example.com',
      first_name: 'Casey',
    });
    await drain(h);
    const emails = h.sim.state.contacts().map((c) => String(c.properties.email));
    expect(emails.filter((e) => e.startsWith('unclaimed:'))).toEqual([]);
    expect(emails.filter((e) => e === 'member.hub@example.com')).toHaveLength(1);
    expect(h.sim.state.requests({ path: /\/search$/ })).toHaveLength(0);
  });
});
