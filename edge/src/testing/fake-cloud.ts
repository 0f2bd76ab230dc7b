import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { generateBookingCode } from '@clubos/shared/credentials';
import type {
  ChangeEntity,
  ChangeRow,
  ChangesResponse,
  Snapshot,
  UploadAck,
  UploadResult,
} from '@clubos/shared/sync';
import {
  encodeFeedHeadEvent,
  MAX_CHANGES_PER_BATCH,
  SYNC_PROTOCOL_VERSION,
  validateOutboxEvent,
} from '@clubos/shared/sync';
import Fastify, { type FastifyInstance } from 'fastify';

/**
 * A small stand-in for the cloud's edge feed (`/api/v1/edge/*`) that follows the
 * `@clubos/shared/sync` schemas exactly: per-facility change log, snapshot, long-poll, event upload
 * deduplicated by event id, per-edge keys. It is the single writer of bookings, with the same
 * no-overlap rule as the real one, so tests can check the invariants of docs/decisions/004–006.
 */

type Data = Record<string, unknown>;
const ACTIVE = new Set(['pending', 'confirmed', 'checked_in']);

export interface FakeCloudOptions {
  facilityId?: string;
}

export class FakeCloud {
  readonly facilityId: string;
  readonly app: FastifyInstance;
  url = '';
  private readonly rows = new Map<string, { entity: ChangeEntity; id: string; data: Data }>();
  readonly log: ChangeRow[] = [];
  private compactedThrough = 0;
  private readonly keys = new Map<string, { facilityId: string; revoked: boolean }>();
  /** event id → how many times it was ACCEPTED (must never exceed 1). */
  readonly acceptedEvents = new Map<string, number>();
  readonly eventsByType = new Map<string, number>();
  /** event id → the reason of its latest rejection (not stored as received: see the upload route). */
  readonly rejectedEvents = new Map<string, string>();
  private waiters: (() => void)[] = [];
  /** Open change streams (SSE), as the real cloud's `GET /edge/changes/stream`. */
  private readonly streams = new Set<ServerResponse>();
  /** How many change streams were opened, and asked for (opened or refused). */
  streamsOpened = 0;
  streamRequests = 0;
  /** False: the stream route answers 404 (a cloud without push); the edge must long-poll. */
  streamAvailable = true;
  /** False: open streams send no heartbeats (a half-open connection, as the edge sees it). */
  streamHeartbeats = true;
  /** When set, every route answers 503 (the cloud is "down" without closing its socket). */
  down = false;
  /** Delay before answering an upload, AFTER its events are committed (a crash window for the edge). */
  ackDelayMs = 0;
  uploads = 0;
  /** How many times an already-stored event was sent again and answered `duplicate`. */
  duplicateAnswers = 0;
  /** Called as a non-empty changes batch is answered (crash-window tests). */
  onChangesServed: (() => void) | null = null;
  /** Called after an upload's events are stored and before the answer goes out (crash-window tests). */
  onEventsStored: (() => void) | null = null;

  constructor(options: FakeCloudOptions = {}) {
    this.facilityId = options.facilityId ?? randomUUID();
    this.app = Fastify({ logger: false, keepAliveTimeout: 1000 });
    this.routes();
  }

  issueKey(facilityId = this.facilityId): string {
    const key = `edge_${randomUUID()}`;
    this.keys.set(key, { facilityId, revoked: false });
    return key;
  }

  revokeKey(key: string): void {
    const entry = this.keys.get(key);
    if (entry !== undefined) entry.revoked = true;
  }

  async listen(): Promise<string> {
    this.url = await this.app.listen({ port: 0, host: '127.0.0.1' });
    return this.url;
  }

  /** Ends every open change stream (a dropped connection, as far as the edge can tell). */
  dropStreams(): void {
    for (const res of this.streams) res.destroy();
    this.streams.clear();
  }

  async close(): Promise<void> {
    this.dropStreams();
    this.wakeWaiters();
    const closing = this.app.close();
    // Keep-alive sockets of the edge's clients would hold the close for their idle timeout.
    this.app.server.closeAllConnections();
    await closing;
  }

  get head(): number {
    return this.log.length === 0 ? this.compactedThrough : this.log[this.log.length - 1]!.seq;
  }

  /** Writes a row and appends its change, as the cloud does in one transaction. */
  put(entity: ChangeEntity, id: string, data: Data): void {
    const full = { ...data, id };
    this.rows.set(`${entity}:${id}`, { entity, id, data: full });
    this.append(entity, 'upsert', id, full);
  }

  remove(entity: ChangeEntity, id: string): void {
    this.rows.delete(`${entity}:${id}`);
    this.append(entity, 'delete', id, null);
  }

  get(entity: ChangeEntity, id: string): Data | undefined {
    return this.rows.get(`${entity}:${id}`)?.data;
  }

  all(entity: ChangeEntity): Data[] {
    return [...this.rows.values()].filter((r) => r.entity === entity).map((r) => r.data);
  }

  /** Drops log entries up to `through`: an edge behind it must load a snapshot. */
  compact(through: number): void {
    this.compactedThrough = Math.max(this.compactedThrough, through);
    while (this.log.length > 0 && this.log[0]!.seq <= through) this.log.shift();
  }

  /** Active bookings on a bay overlapping [start, end) (epoch ms), optionally ignoring one booking. */
  overlapping(simulatorId: string, start: number, end: number, ignoreId?: string): Data[] {
    return this.all('booking').filter(
      (b) =>
        b.id !== ignoreId &&
        b.simulator_id === simulatorId &&
        ACTIVE.has(String(b.status)) &&
        Date.parse(String(b.start_time)) < end &&
        start < Date.parse(String(b.end_time)),
    );
  }

  /** A web/API sale. Returns the booking id, or null when the time is taken. */
  sell(simulatorId: string, start: number, minutes: number, extra: Data = {}): string | null {
    const end = start + minutes * 60_000;
    if (this.overlapping(simulatorId, start, end).length > 0) return null;
    const id = randomUUID();
    this.put('booking', id, this.bookingData(id, simulatorId, start, end, { source: 'web', ...extra }));
    return id;
  }

  cancel(id: string): void {
    const booking = this.get('booking', id);
    if (booking === undefined) throw new Error(`no booking ${id}`);
    const now = new Date().toISOString();
    this.put('booking', id, { ...booking, status: 'cancelled', cancelled_at: now, updated_at: now });
  }

  private bookingData(id: string, simulatorId: string, start: number, end: number, extra: Data): Data {
    const now = new Date().toISOString();
    return {
      id,
      facility_id: this.facilityId,
      simulator_id: simulatorId,
      customer_id: null,
      reference_code: generateBookingCode(),
      start_time: new Date(start).toISOString(),
      end_time: new Date(end).toISOString(),
      duration: Math.round((end - start) / 60_000),
      status: 'confirmed',
      price: '40.00',
      price_cents: 4000,
      check_in_time: null,
      cancelled_at: null,
      created_at: now,
      updated_at: now,
      ...extra,
    };
  }

  private append(entity: ChangeEntity, op: 'upsert' | 'delete', id: string, data: Data | null): void {
    this.log.push({
      seq: this.head + 1,
      facility_id: this.facilityId,
      entity,
      op,
      entity_id: id,
      data,
      created_at: new Date().toISOString(),
    });
    this.wakeWaiters();
  }

  private sendHead(res: ServerResponse): void {
    res.write(encodeFeedHeadEvent({ facility_id: this.facilityId, head: this.head }));
  }

  /** Sends `data` as a head event on every open stream (a cloud gone wrong). */
  sendRawHead(data: string): void {
    for (const res of this.streams) res.write(`event: head\ndata: ${data}\n\n`);
  }

  private wakeWaiters(): void {
    for (const res of this.streams) this.sendHead(res);
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  private authorize(
    header: string | undefined,
  ): { facilityId: string } | { status: number; message: string } {
    const key = header?.startsWith('Edge ') ? header.slice(5) : '';
    const entry = this.keys.get(key);
    if (entry === undefined) return { status: 401, message: 'unknown edge key' };
    if (entry.revoked) return { status: 401, message: 'edge key revoked' };
    return { facilityId: entry.facilityId };
  }

  /**
   * What the real cloud does with one valid event (cloud/src/edge-feed): a walk-in becomes (or moves)
   * a booking unless its time is taken; a status event moves the booking when the status machine
   * allows it and is accepted either way (an unknown booking or a late check-in changes nothing).
   */
  private applyEvent(type: string, payload: Data): { ok: true } | { ok: false; reason: string } {
    if (type === 'walk_in.created') {
      const id = String(payload.booking_id);
      const start = Date.parse(String(payload.start_time));
      const end = Date.parse(String(payload.end_time));
      const bay = String(payload.simulator_id);
      if (this.get('bay', bay) === undefined)
        return { ok: false, reason: `payload.simulator_id: bay ${bay} is not a bay of this facility` };
      const existing = this.get('booking', id);
      if (
        existing !== undefined &&
        existing.simulator_id === bay &&
        Date.parse(String(existing.start_time)) === start &&
        Date.parse(String(existing.end_time)) === end
      )
        return { ok: true };
      if (existing !== undefined && existing.status !== 'confirmed')
        return {
          ok: false,
          reason: `payload.booking_id: booking ${id} is ${String(existing.status)} and cannot be moved`,
        };
      const clash = this.overlapping(bay, start, end, id);
      if (clash.length > 0)
        return { ok: false, reason: `conflict: bay ${bay} is already booked then (${clash[0]!.id})` };
      this.put('booking', id, {
        ...(existing ?? this.bookingData(id, bay, start, end, {})),
        simulator_id: bay,
        start_time: new Date(start).toISOString(),
        end_time: new Date(end).toISOString(),
        reference_code: payload.reference_code ?? existing?.reference_code ?? generateBookingCode(),
        // As the real cloud: the PIN the customer holds is kept (else it would issue one).
        access_code: existing?.access_code ?? payload.access_code ?? null,
        price_cents: payload.price_cents,
        source: 'kiosk',
        status: 'confirmed',
      });
      return { ok: true };
    }
    if (type === 'booking.checked_in') {
      const booking = this.get('booking', String(payload.booking_id));
      if (booking?.status === 'confirmed') {
        this.put('booking', String(booking.id), {
          ...booking,
          status: 'checked_in',
          check_in_time: payload.checked_in_at,
        });
      }
    }
    return { ok: true };
  }

  private routes(): void {
    const app = this.app;
    app.addHook('onRequest', async (request, reply) => {
      if (request.url.startsWith('/api/v1/edge/changes/stream')) this.streamRequests++;
      if (this.down) return reply.code(503).send({ error: 'unavailable', message: 'cloud is down (test)' });
      const auth = this.authorize(request.headers.authorization);
      if ('status' in auth)
        return reply.code(auth.status).send({ error: 'unauthorized', message: auth.message });
      if (auth.facilityId !== this.facilityId) {
        return reply.code(403).send({ error: 'forbidden', message: 'this key belongs to another facility' });
      }
    });

    app.get(
      '/api/v1/edge/snapshot',
      async (): Promise<Snapshot> => ({
        v: SYNC_PROTOCOL_VERSION,
        facility_id: this.facilityId,
        seq: this.head,
        generated_at: new Date().toISOString(),
        items: [...this.rows.values()].map((r) => ({ entity: r.entity, entity_id: r.id, data: r.data })),
      }),
    );

    app.get('/api/v1/edge/changes', async (request): Promise<ChangesResponse> => {
      const q = request.query as { after?: string; limit?: string; wait_ms?: string };
      const after = Number(q.after ?? 0);
      const limit = Math.min(Number(q.limit ?? MAX_CHANGES_PER_BATCH), MAX_CHANGES_PER_BATCH);
      const wait = Math.min(Number(q.wait_ms ?? 0), 30_000);
      if (after < this.compactedThrough) {
        return {
          v: 1,
          facility_id: this.facilityId,
          changes: [],
          next_after: after,
          head: this.head,
          snapshot_required: true,
        };
      }
      if (this.head <= after && wait > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, wait);
          this.waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      const changes = this.log.filter((c) => c.seq > after).slice(0, limit);
      const next = changes.length === 0 ? after : changes[changes.length - 1]!.seq;
      if (changes.length > 0) this.onChangesServed?.();
      return {
        v: 1,
        facility_id: this.facilityId,
        changes,
        next_after: next,
        head: this.head,
        snapshot_required: false,
      };
    });

    app.get('/api/v1/edge/changes/stream', async (request, reply) => {
      const q = request.query as { heartbeat_ms?: string };
      if (!this.streamAvailable) return reply.code(404).send({ error: 'not_found', message: 'no stream' });
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
      this.streamsOpened++;
      this.streams.add(res);
      this.sendHead(res);
      const heartbeat = setInterval(
        () => this.streamHeartbeats && res.write(': heartbeat\n\n'),
        Number(q.heartbeat_ms ?? 15_000),
      );
      res.on('close', () => {
        clearInterval(heartbeat);
        this.streams.delete(res);
      });
    });

    app.post('/api/v1/edge/events', async (request, reply): Promise<UploadAck | undefined> => {
      this.uploads++;
      const body = request.body as { facility_id?: string; events: unknown[] };
      if (String(body.facility_id).toLowerCase() !== this.facilityId) {
        await reply
          .code(403)
          .send({ error: 'forbidden', message: `This edge serves facility ${this.facilityId}` });
        return undefined;
      }
      const results: UploadResult[] = [];
      for (const raw of body.events) {
        const checked = validateOutboxEvent(raw);
        const eventId = String((raw as { event_id?: unknown }).event_id);
        if (!checked.ok) {
          results.push({
            event_id: eventId,
            status: 'rejected',
            reason: checked.errors.map((e) => `${e.field}: ${e.message}`).join('; '),
          });
          continue;
        }
        const event = checked.value;
        if (event.facility_id.toLowerCase() !== this.facilityId) {
          results.push({
            event_id: event.event_id,
            status: 'rejected',
            reason: "facility_id: not this edge's facility",
          });
          continue;
        }
        // Only accepted events are stored: a rejected one leaves nothing behind (the real cloud rolls
        // its dedupe row back), so a re-send is judged again, never answered `duplicate`.
        if (this.acceptedEvents.has(event.event_id)) {
          this.duplicateAnswers++;
          results.push({ event_id: event.event_id, status: 'duplicate' });
          continue;
        }
        const outcome = this.applyEvent(event.type, event.payload as Data);
        if (outcome.ok) {
          this.acceptedEvents.set(event.event_id, (this.acceptedEvents.get(event.event_id) ?? 0) + 1);
          this.eventsByType.set(event.type, (this.eventsByType.get(event.type) ?? 0) + 1);
          results.push({ event_id: event.event_id, status: 'accepted' });
        } else {
          this.rejectedEvents.set(event.event_id, outcome.reason);
          results.push({ event_id: event.event_id, status: 'rejected', reason: outcome.reason });
        }
      }
      this.onEventsStored?.();
      if (this.ackDelayMs > 0) await new Promise((r) => setTimeout(r, this.ackDelayMs));
      return { v: 1, results };
    });
  }
}
