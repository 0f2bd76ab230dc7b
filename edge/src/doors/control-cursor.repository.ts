import { eq } from 'drizzle-orm';
import type { Drizzle } from '../db/database.js';
import { controlCursors } from '../db/schema.js';

export function readCursor(db: Drizzle, name: string): number {
  return db.select().from(controlCursors).where(eq(controlCursors.name, name)).get()?.value ?? 0;
}

export function writeCursor(db: Drizzle, name: string, value: number): void {
  db.insert(controlCursors)
    .values({ name, value })
    .onConflictDoUpdate({ target: controlCursors.name, set: { value } })
    .run();
}
