import { mutationVitestConfig } from '../scripts/mutation/vitest-config.js';

/**
 * The edge suites that state the rules in scope (edge/stryker.config.mjs). The door module is
 * imported by nearly every edge suite through the app; running them all per mutant would take hours
 * on a shared machine, and a rule should be pinned by the suites written for it.
 */
export default mutationVitestConfig([
  'src/doors/door-access.rules.test.ts',
  'src/doors/door-access.service.test.ts',
  'src/walk-ins/*.test.ts',
  'src/sync/change-apply.*.test.ts',
]);
