import { createRequire } from 'node:module';
import { REPO_ROOT } from './env-vars.js';

interface YamlModule {
  parse(text: string): unknown;
}

/**
 * The `yaml` package already in the store (Vite's peer, installed with vitest): resolved through
 * vitest → vite, since the workspace root does not depend on it directly.
 */
export function loadYaml(): YamlModule {
  const fromRoot = createRequire(`${REPO_ROOT}package.json`);
  const fromVitest = createRequire(fromRoot.resolve('vitest/package.json'));
  const fromVite = createRequire(fromVitest.resolve('vite/package.json'));
  return fromVite('yaml') as YamlModule;
}
