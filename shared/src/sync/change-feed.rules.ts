import type { FieldError } from '../schema/validate.js';
import type { ChangesResponse } from './change-feed.schema.js';

/**
 * Semantic checks a schema cannot express, run by the edge before applying a batch: applying a
 * batch out of order or for another facility would corrupt the replica and then advance the
 * cursor past the damage. Empty result = safe to apply.
 */
export function changesBatchProblems(
  batch: ChangesResponse,
  expected: { after: number; facilityId: string },
): FieldError[] {
  const problems: FieldError[] = [];
  const add = (field: string, message: string) => problems.push({ field, message });
  const facility = expected.facilityId.toLowerCase();
  if (batch.facility_id.toLowerCase() !== facility) {
    add('facility_id', `is ${batch.facility_id}, expected ${expected.facilityId}`);
  }
  if (batch.snapshot_required && batch.changes.length > 0) {
    add('changes', 'must be empty when snapshot_required is true');
  }
  let previous = expected.after;
  batch.changes.forEach((change, i) => {
    if (change.seq <= previous) add(`changes[${i}].seq`, `${change.seq} does not follow ${previous}`);
    previous = Math.max(previous, change.seq);
    if (change.facility_id.toLowerCase() !== facility) {
      add(`changes[${i}].facility_id`, `belongs to facility ${change.facility_id}`);
    }
    if (change.op === 'upsert' && change.data === null)
      add(`changes[${i}].data`, 'is required for an upsert');
    if (change.op === 'delete' && change.data !== null)
      add(`changes[${i}].data`, 'must be null for a delete');
  });
  if (!batch.snapshot_required && batch.next_after < previous) {
    add('next_after', `${batch.next_after} is behind the last change ${previous}`);
  }
  if (batch.head < batch.next_after) add('head', `${batch.head} is behind next_after ${batch.next_after}`);
  return problems;
}
