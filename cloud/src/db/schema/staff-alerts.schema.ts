import { bigserial, index, jsonb, pgTable, text, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';
import { facilities, tstz } from './facilities.schema.js';

/**
 * Staff alerts of a facility, one row per incident: `incident_key` is unique, so an incident
 * reported again (a re-sent edge event, a second poll) never makes a second alert.
 */
export const staffAlerts = pgTable(
  'staff_alerts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    facilityId: uuid('facility_id')
      .notNull()
      .references(() => facilities.id),
    /** `edge:<edge id>:<edge alert id>` for the edge's alerts. */
    incidentKey: varchar('incident_key', { length: 400 }).notNull(),
    /** door_forced_open | door_held_open | bay_pc_offline | … (the edge's kinds), edge_offline, walk_in_to_collect, integration_failing. */
    kind: varchar('kind', { length: 128 }).notNull(),
    severity: varchar('severity', { length: 20 }).notNull(),
    subject: text('subject'),
    message: text('message').notNull(),
    details: jsonb('details'),
    raisedAt: tstz('raised_at').notNull(),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('uq_staff_alerts_incident').on(t.incidentKey),
    index('idx_staff_alerts_facility').on(t.facilityId, t.raisedAt),
  ],
);
