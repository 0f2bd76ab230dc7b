/** Epoch ms (the domain's instants) → the Date a drizzle timestamp column takes; null stays null. */
export const dateOrNull = (ms: number | null): Date | null => (ms === null ? null : new Date(ms));
