import { type SQL, sql } from 'drizzle-orm';

/** A guest checkout's details, as the customer upsert takes them (email lower-cased). */
export interface GuestDetails {
  email: string;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
}

/** The guest's customer record, and whether a login account owns it. */
export interface GuestUpsert {
  id: string;
  hasAccount: boolean;
}

/**
 * The guest checkout's customer upsert as a CTE `guest_up` over several guests (distinct emails:
 * PostgreSQL refuses to upsert one row twice in a statement): find or create each by email,
 * existing details kept and missing ones filled in. It rides along with the booking check's read
 * (`CatalogRepository.readBays`), so a guest's booking costs no round trip of its own; the
 * column `guestAnswers` then says, per email, the record and whether an account owns it.
 */
export function guestUpsertCte(guests: GuestDetails[]): SQL {
  const rows = JSON.stringify(
    guests.map((g) => ({ email: g.email, first_name: g.firstName, last_name: g.lastName, phone: g.phone })),
  );
  return sql`guest_up AS (
    INSERT INTO customers (email, first_name, last_name, phone)
    SELECT g.email, g.first_name, g.last_name, g.phone
    FROM jsonb_to_recordset(${rows}::jsonb) AS g(email text, first_name text, last_name text, phone text)
    ON CONFLICT (email) DO UPDATE SET
      first_name = coalesce(customers.first_name, excluded.first_name),
      last_name = coalesce(customers.last_name, excluded.last_name),
      phone = coalesce(customers.phone, excluded.phone),
      updated_at = now()
    RETURNING id, email
  )`;
}

/** Over `guestUpsertCte`: `[email, id, has_account]` per guest, as one JSON array. */
export const guestAnswers = sql`(SELECT coalesce(json_agg(json_build_array(g.email, g.id,
  EXISTS (SELECT 1 FROM users u WHERE u.customer_id = g.id))), '[]'::json) FROM guest_up g)`;

/** `guestAnswers`' value by email (pg and PGlite parse json; a string is parsed here). */
export function parseGuestAnswers(value: unknown): Map<string, GuestUpsert> {
  const rows = (typeof value === 'string' ? JSON.parse(value) : (value ?? [])) as [string, string, boolean][];
  return new Map(rows.map(([email, id, hasAccount]) => [email, { id, hasAccount: hasAccount === true }]));
}
