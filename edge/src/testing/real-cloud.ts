/**
 * The REAL cloud (`@clubos/cloud`, in-process Fastify on port 0, PGlite or PostgreSQL) for the
 * edge's sync tests: the edge talks to it over HTTP exactly as in production. Cloud state is read
 * straight from its database, so the invariants are checked against what the cloud really holds.
 */
// For its `declare module 'fastify'` (app.db, app.services), which test-app's types do not pull in.
import type {} from '@clubos/cloud/services';
import {
  createFacility,
  createTestApp,
  type FacilityFixture,
  type TestApp,
  type TestDatabaseKind,
} from '@clubos/cloud/testing';
import { sql } from 'drizzle-orm';
import { expect } from 'vitest';

export interface CloudBooking {
  id: string;
  simulator_id: string;
  status: string;
  start: number;
  end: number;
  reference_code: string;
}

export class RealCloud {
  url = '';
  private adminToken = '';

  private constructor(readonly t: TestApp) {}

  static async start(kind: TestDatabaseKind): Promise<RealCloud> {
    const cloud = new RealCloud(await createTestApp(kind));
    cloud.url = await cloud.t.app.listen({ port: 0, host: '127.0.0.1' });
    const login = await cloud.t.request({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: cloud.t.config.adminEmail, password: cloud.t.config.adminPassword },
    });
    expect(login.statusCode, login.body).toBe(200);
    cloud.adminToken = login.json().access_token;
    return cloud;
  }

  get port(): number {
    return Number(new URL(this.url).port);
  }

  async close(): Promise<void> {
    // Keep-alive sockets of the edge's clients would hold the close for their idle timeout.
    const closing = this.t.close();
    this.t.app.server.closeAllConnections();
    await closing;
  }

  /** A facility open around the clock on a 30-minute grid (UTC), with `bays` bays. */
  facility(options: { bays: number; minAdvanceHours?: number; name?: string }): Promise<FacilityFixture> {
    return createFacility(this.t, {
      bays: options.bays,
      slotMinutes: 30,
      minAdvanceHours: options.minAdvanceHours ?? 2,
      ...(options.name === undefined ? {} : { name: options.name }),
    });
  }

  /** Registration as an admin does it: `POST /api/v1/edge/nodes`, the key returned once. */
  async registerEdge(facilityId: string): Promise<{ id: string; key: string }> {
    const res = await this.t.request({
      method: 'POST',
      url: '/api/v1/edge/nodes',
      token: this.adminToken,
      payload: { facility_id: facilityId, name: 'Front desk PC' },
    });
    expect(res.statusCode, res.body).toBe(201);
    return { id: res.json().id, key: res.json().key };
  }

  async revokeEdge(id: string): Promise<void> {
    const res = await this.t.request({
      method: 'DELETE',
      url: `/api/v1/edge/nodes/${id}`,
      token: this.adminToken,
    });
    expect(res.statusCode, res.body).toBe(200);
  }

  /** A web sale (`POST /api/v1/bookings`); null when the time is taken (409). */
  async sell(bay: string, start: number, minutes: number): Promise<string | null> {
    const res = await this.t.request({
      method: 'POST',
      url: '/api/v1/bookings',
      payload: {
        simulator_id: bay,
        start_time: new Date(start).toISOString(),
        duration: minutes,
        customer: { email: 'web@example.com', first_name: 'Web' },
      },
    });
    if (res.statusCode === 409) return null;
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id;
  }

  async cancel(id: string): Promise<void> {
    const res = await this.t.request({
      method: 'POST',
      url: `/api/v1/bookings/${id}/cancel`,
      token: this.adminToken,
      payload: {},
    });
    expect(res.statusCode, res.body).toBe(200);
  }

  /** Staff check the customer in at the cloud (the front desk's browser, not the edge). */
  async checkIn(id: string): Promise<void> {
    const res = await this.t.request({
      method: 'POST',
      url: `/api/v1/bookings/${id}/checkin`,
      token: this.adminToken,
      payload: { method: 'staff' },
    });
    expect(res.statusCode, res.body).toBe(200);
  }

  private async rows<T>(query: ReturnType<typeof sql>): Promise<T[]> {
    return ((await this.t.app.db.execute(query)) as unknown as { rows: T[] }).rows;
  }

  async bookings(facilityId: string): Promise<CloudBooking[]> {
    const rows = await this.rows<{
      id: string;
      simulator_id: string;
      status: string;
      start_time: Date | string;
      end_time: Date | string;
      reference_code: string;
    }>(sql`SELECT id, simulator_id, status, start_time, end_time, reference_code FROM bookings
           WHERE facility_id = ${facilityId}`);
    return rows.map((r) => ({
      id: r.id,
      simulator_id: r.simulator_id,
      status: r.status,
      start: new Date(r.start_time).getTime(),
      end: new Date(r.end_time).getTime(),
      reference_code: r.reference_code,
    }));
  }

  /** Whether the cloud holds booking `id` (cheap enough to poll every few milliseconds). */
  async hasBooking(id: string): Promise<boolean> {
    return (await this.rows(sql`SELECT 1 FROM bookings WHERE id = ${id}`)).length > 0;
  }

  async booking(id: string): Promise<CloudBooking | undefined> {
    const rows = await this.rows<{ facility_id: string }>(
      sql`SELECT facility_id FROM bookings WHERE id = ${id}`,
    );
    if (rows.length === 0) return undefined;
    return (await this.bookings(rows[0]!.facility_id)).find((b) => b.id === id);
  }

  async head(facilityId: string): Promise<number> {
    return (await this.t.app.services.changeLog.cursor(facilityId)).lastSeq;
  }

  /** Events the cloud stored from edges: event id → type (the table's key makes each one unique). */
  async edgeEvents(facilityId: string): Promise<Map<string, string>> {
    const rows = await this.rows<{ event_id: string; type: string }>(
      sql`SELECT event_id, type FROM edge_events WHERE facility_id = ${facilityId}`,
    );
    return new Map(rows.map((r) => [r.event_id, r.type]));
  }
}
