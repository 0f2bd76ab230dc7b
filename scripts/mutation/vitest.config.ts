import { mutationVitestConfig } from './vitest-config.js';

// Every test of the package: shared's are pure and fast.
export default mutationVitestConfig();
