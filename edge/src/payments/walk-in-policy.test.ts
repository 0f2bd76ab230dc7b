import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type EdgeDatabase, openDatabase } from '../db/database.js';
import { toReplicaRow } from '../sync/feed-mapper.js';
import { upsertReplicaRow } from '../sync/replica.repository.js';
import { walkInPolicyReader } from './walk-in-policy.js';

const FACILITY = '1b7e7c1e-36d4-4b58-9a4f-2f3a5b1c9d02';
const NO_OVERRIDE = { card: null, toCollectCapCents: null };

/** The replicated facility's walk-in rule, as the sale reads it: live, with the box's override on top. */
describe('walk-in payment policy on the edge', () => {
  let database: EdgeDatabase;
  beforeEach(() => {
    database = openDatabase(':memory:');
  });
  afterEach(() => database.close());

  const replicate = (walkInPayment: unknown) =>
    upsertReplicaRow(
      database.db,
      'facility',
      toReplicaRow('facility', {
        id: FACILITY,
        name: 'Venue',
        timezone: 'UTC',
        walk_in_payment: walkInPayment,
      }),
    );

  it('uses the default (no card, 100.00 cap) before any facility or from an older cloud', () => {
    const policy = walkInPolicyReader(database, NO_OVERRIDE);
    expect(policy()).toEqual({ card: false, toCollectCapCents: 10_000 });
    replicate(undefined);
    expect(policy()).toEqual({ card: false, toCollectCapCents: 10_000 });
  });

  it('follows each replicated change on the next read, without a restart', () => {
    const policy = walkInPolicyReader(database, NO_OVERRIDE);
    replicate({ card: true, to_collect_cap_cents: 4_500 });
    expect(policy()).toEqual({ card: true, toCollectCapCents: 4_500 });
    replicate({ card: false, to_collect_cap_cents: 4_500 });
    expect(policy()).toEqual({ card: false, toCollectCapCents: 4_500 });
  });

  it("lets the box's own setting override each field on its own", () => {
    replicate({ card: true, to_collect_cap_cents: 4_500 });
    expect(walkInPolicyReader(database, { card: false, toCollectCapCents: null })()).toEqual({
      card: false,
      toCollectCapCents: 4_500,
    });
    expect(walkInPolicyReader(database, { card: null, toCollectCapCents: 0 })()).toEqual({
      card: true,
      toCollectCapCents: 0,
    });
  });

  it('ignores a malformed walk-in entry rather than failing the sync', () => {
    replicate({ card: 'yes', to_collect_cap_cents: -5 });
    expect(walkInPolicyReader(database, NO_OVERRIDE)()).toEqual({ card: false, toCollectCapCents: 10_000 });
  });
});
