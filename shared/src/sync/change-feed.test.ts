import { describe, expect, it } from 'vitest';
import { validate } from '../schema/validate.js';
import { changesBatchProblems } from './change-feed.rules.js';
import {
  type ChangeRow,
  ChangesQuerySchema,
  type ChangesResponse,
  ChangesResponseSchema,
} from './change-feed.schema.js';
import { RevocationDataSchema, SnapshotSchema } from './snapshot.schema.js';

const FACILITY = '3f2c9a1e-8b7d-4c6e-9f10-1a2b3c4d5e6f';
const row = (seq: number, patch: Partial<ChangeRow> = {}): ChangeRow => ({
  seq,
  facility_id: FACILITY,
  entity: 'booking',
  op: 'upsert',
  entity_id: 'b0c1d2e3-f405-4617-8829-3a4b5c6d7e8f',
  data: { status: 'confirmed' },
  created_at: '2025-08-03T14:00:00.123Z',
  ...patch,
});
const batch = (changes: ChangeRow[], patch: Partial<ChangesResponse> = {}): ChangesResponse => ({
  v: 1,
  facility_id: FACILITY,
  changes,
  next_after: changes.at(-1)?.seq ?? 10,
  head: 20,
  snapshot_required: false,
  ...patch,
});

describe('change feed messages', () => {
  it('accepts a well-formed batch, including a delete with null data', () => {
    const value = batch([row(11), row(12, { op: 'delete', data: null, entity: 'revocation' })]);
    expect(validate(ChangesResponseSchema, value).ok).toBe(true);
    expect(changesBatchProblems(value, { after: 10, facilityId: FACILITY })).toEqual([]);
  });

  it('refuses another protocol version and unknown entities, naming the field', () => {
    const result = validate(ChangesResponseSchema, {
      ...batch([row(11, { entity: 'invoice' as 'bay' })]),
      v: 2,
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.field)).toEqual(['v', 'changes[0].entity']);
  });

  it('finds batches that must not be applied', () => {
    const other = 'a1a1a1a1-0000-4000-8000-000000000000';
    const problems = changesBatchProblems(
      batch([row(12), row(11, { facility_id: other }), row(13, { data: null }), row(14, { op: 'delete' })], {
        next_after: 13,
      }),
      { after: 12, facilityId: FACILITY },
    );
    expect(problems.map((p) => p.field)).toEqual([
      'changes[0].seq',
      'changes[1].seq',
      'changes[1].facility_id',
      'changes[2].data',
      'changes[3].data',
      'next_after',
    ]);
    expect(problems[0]!.message).toBe('12 does not follow 12');
  });

  it('flags a batch for another facility, a snapshot order with changes, and a head behind the cursor', () => {
    const problems = changesBatchProblems(batch([row(11)], { snapshot_required: true, head: 5 }), {
      after: 10,
      facilityId: 'a1a1a1a1-0000-4000-8000-000000000000',
    });
    expect(problems.map((p) => p.field)).toEqual([
      'facility_id',
      'changes',
      'changes[0].facility_id',
      'head',
    ]);
  });

  it('checks the long-poll query', () => {
    expect(validate(ChangesQuerySchema, { after: 0, limit: 500, wait_ms: 25_000 }).ok).toBe(true);
    const bad = validate(ChangesQuerySchema, { after: -1, limit: 5000 });
    expect(bad.ok ? [] : bad.errors.map((e) => e.field)).toEqual(['after', 'limit']);
  });

  it('describes snapshots and revocations', () => {
    const snapshot = {
      v: 1,
      facility_id: FACILITY,
      seq: 42,
      generated_at: '2025-08-03T14:00:00Z',
      items: [{ entity: 'bay', entity_id: 'bay-1', data: { name: 'Bay 1' } }],
    };
    expect(validate(SnapshotSchema, snapshot).ok).toBe(true);
    expect(validate(SnapshotSchema, { ...snapshot, items: [{ entity: 'bay', entity_id: 'bay-1' }] }).ok).toBe(
      false,
    );
    const revocation = {
      booking_id: 'b0c1d2e3-f405-4617-8829-3a4b5c6d7e8f',
      revoked_at: '2025-08-03T14:00:00Z',
      valid_until: '2025-08-03T16:15:00Z',
      reason: 'cancelled by customer',
    };
    expect(validate(RevocationDataSchema, revocation).ok).toBe(true);
  });
});
