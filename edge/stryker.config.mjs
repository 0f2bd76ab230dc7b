import { strykerConfig } from '../scripts/mutation/stryker-base.mjs';

/** The edge's rules where a wrong answer opens a door or sells time twice (docs/mutation-testing.md). */
export default strykerConfig(
  'edge',
  [
    // door decisions
    'edge/src/doors/door-access.service.ts',
    // walk-in safe horizon and credentials
    'edge/src/walk-ins/sale-horizon.ts',
    'edge/src/walk-ins/walk-in-credentials.ts',
    // change apply
    'edge/src/sync/change-apply.service.ts',
  ],
  { vitestConfig: 'edge/vitest.mutation.config.ts' },
);
