import { afterEach, beforeEach } from 'vitest';

/** What a suite's use* helper hands it: what `start` returned, fresh for each test, and its clock. */
export type SimulatorSuite<T> = T & {
  /** The simulator's clock (epoch ms) when the suite asked for a hand-driven one with `startAt`. */
  now: number;
};

/**
 * Calls `start` before each test of the calling file and closes its `sim` after. With `startAt`
 * the simulator's clock reads `suite.now`, which the test moves by hand.
 */
export function useSimulator<T extends { sim: { close(): Promise<void> } }>(
  start: (clock: (() => number) | undefined) => Promise<T>,
  startAt?: string,
): SimulatorSuite<T> {
  const suite = { now: 0 } as SimulatorSuite<T>;
  beforeEach(async () => {
    if (startAt !== undefined) suite.now = Date.parse(startAt);
    Object.assign(suite, await start(startAt === undefined ? undefined : () => suite.now));
  });
  afterEach(async () => {
    await suite.sim.close();
  });
  return suite;
}
