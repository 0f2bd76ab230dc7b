import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (deploy/support/ is two levels below it). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Where each service reads its environment: nothing else in cloud/ or edge/ touches process.env. */
export const CONFIG_SOURCES = {
  cloud: ['cloud/src/config.ts'],
  edge: ['edge/src/config.ts', 'edge/src/bays/facility-control.config.ts'],
} as const;

/** Read only by the test suites (`testDatabaseUrl`), never by a running service. */
const TEST_ONLY = new Set(['TEST_DATABASE_URL']);

/**
 * Names of the environment variables a config source reads: `env.NAME` and the helpers' `(env, 'NAME'`
 * calls (`int`, `bool`, `str`, `url`, `secret`, …), in order of first appearance.
 */
export function variablesRead(source: string): string[] {
  const names = new Set<string>();
  for (const match of source.matchAll(/\benv(?:\.([A-Z][A-Z0-9_]+)\b|,\s*'([A-Z][A-Z0-9_]+)')/g)) {
    const name = (match[1] ?? match[2]) as string;
    if (!TEST_ONLY.has(name)) names.add(name);
  }
  return [...names];
}

export function serviceVariables(service: keyof typeof CONFIG_SOURCES): string[] {
  return [
    ...new Set(
      CONFIG_SOURCES[service].flatMap((file) =>
        variablesRead(readFileSync(path.join(REPO_ROOT, file), 'utf8')),
      ),
    ),
  ];
}

export interface ExampleEntry {
  value: string;
  /** The comment lines right above the assignment (its meaning), without `#`. */
  comment: string[];
}

/** `KEY=value` lines of an env file, each with the comment block directly above it. */
export function parseEnvExample(text: string): Map<string, ExampleEntry> {
  const entries = new Map<string, ExampleEntry>();
  let comment: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#')) {
      comment.push(line.replace(/^#\s?/, ''));
      continue;
    }
    const assignment = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (assignment) {
      if (entries.has(assignment[1]!)) throw new Error(`${assignment[1]} is assigned twice`);
      entries.set(assignment[1]!, { value: assignment[2]!, comment });
    } else if (line !== '') {
      throw new Error(`not an env line: ${raw}`);
    }
    comment = [];
  }
  return entries;
}

/** What is wrong between the variables a service reads and its example file; empty when nothing. */
export function exampleProblems(read: string[], example: Map<string, ExampleEntry>): string[] {
  const problems: string[] = [];
  for (const name of read) {
    const entry = example.get(name);
    if (entry === undefined) problems.push(`${name} is read but missing from the example`);
    else if (entry.comment.join(' ').trim().length < 10)
      problems.push(`${name} has no comment saying what it means`);
  }
  for (const name of example.keys()) {
    if (!read.includes(name)) problems.push(`${name} is in the example but the service never reads it`);
  }
  return problems;
}
