import type { FieldError } from '../schema/validate.js';
import type { UploadAck } from './upload.schema.js';

/**
 * Checks an acknowledgement against the batch it answers, before the edge deletes anything from its
 * outbox: an event without a result stays queued; a result for an event that was not sent, a second
 * result for one event, or a rejection without a reason means the answer cannot be trusted.
 */
export function uploadAckProblems(sentEventIds: readonly string[], ack: UploadAck): FieldError[] {
  const problems: FieldError[] = [];
  const sent = new Set(sentEventIds.map((id) => id.toLowerCase()));
  const answered = new Set<string>();
  ack.results.forEach((result, i) => {
    const id = result.event_id.toLowerCase();
    if (!sent.has(id))
      problems.push({ field: `results[${i}].event_id`, message: `${id} was not in the batch` });
    else if (answered.has(id))
      problems.push({ field: `results[${i}].event_id`, message: `${id} is answered twice` });
    answered.add(id);
    if (result.status === 'rejected' && !result.reason) {
      problems.push({ field: `results[${i}].reason`, message: 'is required for a rejected event' });
    }
  });
  for (const id of sent) {
    if (!answered.has(id)) problems.push({ field: 'results', message: `has no result for event ${id}` });
  }
  return problems;
}
