import { mutationVitestConfig } from '../scripts/mutation/vitest-config.js';

/**
 * The edge suites that state the rules in scope (edge/stryker.config.mjs). The door module is
 * imported by nearly every edge suite through the app; running them all per mutant would take hours
 * on a shared machine, and a rule should be pinned by the suites written for it. The door suite over
 * MQTT and the UniFi simulator is left out too: its rules are pinned in the door *.rules.test.ts suites.
 */
export default mutationVitestConfig([
  'src/doors/*.rules.test.ts',
  'src/walk-ins/*.test.ts',
  'src/sync/change-apply.*.test.ts',
]);
