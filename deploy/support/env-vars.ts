import { fileURLToPath } from 'node:url';
import { CLOUD_ENV } from '../../cloud/src/config.js';
import { EDGE_ENV } from '../../edge/src/config.js';

/** The repository root (deploy/support/ is two levels below it). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The variables each service reads: the keys of its one env schema (nothing else in cloud/ or
 * edge/ touches process.env; the test-only TEST_DATABASE_URL is read by the suites, not the service).
 */
export function serviceVariables(service: 'cloud' | 'edge'): string[] {
  return Object.keys((service === 'cloud' ? CLOUD_ENV : EDGE_ENV).properties);
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
