import http from 'node:http';
import https from 'node:https';
import { formatFieldErrors, validate } from '@clubos/shared/schema';
import {
  ChangesResponseSchema,
  changesBatchProblems,
  MAX_CHANGES_PER_BATCH,
  MAX_EVENTS_PER_UPLOAD,
  SnapshotSchema,
  SYNC_PROTOCOL_VERSION,
  UploadAckSchema,
  uploadAckProblems,
} from '@clubos/shared/sync';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import axios, { type AxiosInstance, isAxiosError } from 'axios';
import { parseRetryAfter } from '../http/failure.js';
import type { ChangesAnswer, CloudFeed, EventAck, UploadableEvent } from './cloud-feed.js';
import { FeedError } from './cloud-feed.js';
import { toReplicaChange, toReplicaSnapshot } from './feed-mapper.js';
import { followHeads } from './head-stream.client.js';

export interface CloudFeedClientOptions {
  baseUrl: string;
  edgeKey: string;
  requestTimeoutMs: number;
  /** The facility this edge serves (config, or learned from the first snapshot). */
  facilityId: () => string | null;
}

/** Turns any failure into a FeedError the loops know how to treat. */
function classify(error: unknown, what: string): FeedError {
  if (error instanceof FeedError) return error;
  if (isAxiosError(error)) {
    const status = error.response?.status;
    if (status === undefined)
      return new FeedError('retry', `${what}: ${error.code ?? 'network error'} ${error.message}`, null, true);
    const body = error.response?.data as { message?: string; error?: string } | undefined;
    const detail = body?.message ?? body?.error ?? '';
    if (status === 401 || status === 403)
      return new FeedError('auth', `${what}: edge key refused (${status}) ${detail}`);
    if (status === 429 || status >= 500) {
      const after = parseRetryAfter(error.response?.headers['retry-after']) ?? null;
      return new FeedError('retry', `${what}: cloud answered ${status} ${detail}`, after);
    }
    return new FeedError('fatal', `${what}: cloud answered ${status} ${detail}`);
  }
  return new FeedError(
    'retry',
    `${what}: ${error instanceof Error ? error.message : String(error)}`,
    null,
    true,
  );
}

/**
 * Compiled once: a 1,000-change batch is checked in a few milliseconds instead of ~60 (the catch-up
 * after an outage is bound by this). The shared `validate` runs only to name the fields of a failure.
 */
const changesCheck = TypeCompiler.Compile(ChangesResponseSchema);

function checked<T>(label: string, problems: { field: string; message: string }[], value: T): T {
  if (problems.length > 0)
    throw new FeedError('fatal', `${label} is invalid: ${formatFieldErrors(problems)}`);
  return value;
}

/**
 * The cloud's edge feed (`/api/v1/edge/*`), authenticated with this edge's key. Every answer is
 * validated against the `@clubos/shared/sync` schemas before anything is applied or deleted: an
 * answer that does not check out is a retry, never a half-trusted batch. Keep-alive agents, since
 * the pull loop and the uploader talk to the cloud all day.
 */
export class CloudFeedClient implements CloudFeed {
  private readonly http: AxiosInstance;

  constructor(private readonly options: CloudFeedClientOptions) {
    this.http = axios.create({
      baseURL: `${options.baseUrl}/api/v1/edge`,
      // The cloud's scheme for edge keys (cloud auth plugin): `Authorization: Edge <key>`.
      headers: { authorization: `Edge ${options.edgeKey}` },
      timeout: options.requestTimeoutMs,
      httpAgent: new http.Agent({ keepAlive: true }),
      httpsAgent: new https.Agent({ keepAlive: true }),
      maxRedirects: 0,
    });
  }

  async snapshot(signal: AbortSignal) {
    try {
      const res = await this.http.get('/snapshot', { signal });
      const parsed = validate(SnapshotSchema, res.data);
      if (!parsed.ok)
        throw new FeedError('fatal', `snapshot is invalid: ${formatFieldErrors(parsed.errors)}`);
      return toReplicaSnapshot(parsed.value);
    } catch (error) {
      throw classify(error, 'snapshot');
    }
  }

  async changes(after: number, limit: number, waitMs: number, signal: AbortSignal): Promise<ChangesAnswer> {
    try {
      const res = await this.http.get('/changes', {
        params: { after, limit: Math.min(limit, MAX_CHANGES_PER_BATCH), wait_ms: Math.min(waitMs, 30_000) },
        signal,
        timeout: this.options.requestTimeoutMs + waitMs,
      });
      if (!changesCheck.Check(res.data)) {
        const parsed = validate(ChangesResponseSchema, res.data);
        const detail = parsed.ok ? 'rejected' : formatFieldErrors(parsed.errors);
        throw new FeedError('fatal', `changes batch is invalid: ${detail}`);
      }
      const batch = res.data;
      if (batch.snapshot_required) return { kind: 'snapshot_required' };
      const facilityId = this.options.facilityId() ?? batch.facility_id;
      checked('changes batch', changesBatchProblems(batch, { after, facilityId }), batch);
      return {
        kind: 'batch',
        changes: batch.changes.map(toReplicaChange),
        head: batch.head,
        hasMore: batch.head > batch.next_after,
        lastSeq: batch.next_after,
      };
    } catch (error) {
      throw classify(error, 'changes');
    }
  }

  watch(onHead: (head: number) => void, heartbeatMs: number, signal: AbortSignal): Promise<void> {
    const { baseUrl, edgeKey, requestTimeoutMs } = this.options;
    return followHeads({ baseUrl, edgeKey, heartbeatMs, connectTimeoutMs: requestTimeoutMs }, onHead, signal);
  }

  async upload(events: UploadableEvent[], signal: AbortSignal): Promise<EventAck[]> {
    const facilityId = this.options.facilityId();
    if (facilityId === null)
      throw new FeedError('retry', 'events: facility not known yet (no snapshot loaded)');
    try {
      const res = await this.http.post(
        '/events',
        {
          v: SYNC_PROTOCOL_VERSION,
          facility_id: facilityId,
          events: events.slice(0, MAX_EVENTS_PER_UPLOAD).map((e) => ({
            v: SYNC_PROTOCOL_VERSION,
            event_id: e.event_id,
            type: e.type,
            occurred_at: new Date(e.occurred_at).toISOString(),
            facility_id: facilityId,
            payload: e.payload,
          })),
        },
        { signal },
      );
      const parsed = validate(UploadAckSchema, res.data);
      if (!parsed.ok)
        throw new FeedError('fatal', `upload ack is invalid: ${formatFieldErrors(parsed.errors)}`);
      const sent = events.slice(0, MAX_EVENTS_PER_UPLOAD).map((e) => e.event_id);
      // An ack that misses some events is still usable for the ones it answers; one that answers
      // events we never sent, or twice, is not trusted at all.
      const problems = uploadAckProblems(sent, parsed.value).filter((p) => p.field !== 'results');
      checked('upload ack', problems, parsed.value);
      return parsed.value.results.map((r) =>
        r.status === 'rejected'
          ? { event_id: r.event_id, status: 'rejected', reason: r.reason ?? 'rejected' }
          : { event_id: r.event_id, status: r.status },
      );
    } catch (error) {
      throw classify(error, 'events');
    }
  }
}
