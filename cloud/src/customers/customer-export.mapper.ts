/** `firstName` → `first_name`: the export speaks the API's (and the seed's) snake_case. */
const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * A database row as plain JSON for the GDPR export: snake_case keys, ISO-8601 instants. Every
 * column is kept, because the export must show everything held about the person.
 */
export function exportRecord(row: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    out[key.includes('_') ? key : snake(key)] = value instanceof Date ? value.toISOString() : value;
  }
  return out;
}
