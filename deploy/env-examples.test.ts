import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exampleProblems, parseEnvExample, REPO_ROOT, serviceVariables } from './support/env-vars.js';

const example = (name: string) => parseEnvExample(readFileSync(path.join(REPO_ROOT, 'deploy', name), 'utf8'));

describe('serviceVariables', () => {
  it('sees every variable of both services (a broken lookup would make the checks below vacuous)', () => {
    const cloud = serviceVariables('cloud');
    const edge = serviceVariables('edge');
    expect(cloud).toEqual(expect.arrayContaining(['DATABASE_URL', 'JWT_SECRET', 'HUBSPOT_MAX_FAILURES']));
    expect(edge).toEqual(
      expect.arrayContaining(['EDGE_DB_FILE', 'EDGE_KEY', 'UNIFI_TOKEN', 'NO_SHOW_GRACE_MINUTES']),
    );
    expect(cloud.length).toBeGreaterThanOrEqual(22);
    expect(edge.length).toBeGreaterThanOrEqual(36);
  });
});

describe('exampleProblems', () => {
  const read = ['PORT', 'LOG_LEVEL'];
  it('names a variable missing from the example, one without a meaning, and a stale one', () => {
    const text = '# Port the API listens on.\nPORT=8080\nLOG_LEVEL=info\n# Gone.\nOLD_SETTING=1\n';
    expect(exampleProblems(read, parseEnvExample(text))).toEqual([
      'LOG_LEVEL has no comment saying what it means',
      'OLD_SETTING is in the example but the service never reads it',
    ]);
    expect(exampleProblems(read, parseEnvExample('# Port the API listens on.\nPORT=1\n'))).toEqual([
      'LOG_LEVEL is read but missing from the example',
    ]);
  });

  it('does not carry a comment across a blank line or a previous assignment', () => {
    const text = '# Port the API listens on.\nPORT=8080\nLOG_LEVEL=info\n';
    expect(parseEnvExample(text).get('LOG_LEVEL')?.comment).toEqual([]);
    expect(parseEnvExample('# A long enough comment.\n\nPORT=1\n').get('PORT')?.comment).toEqual([]);
  });
});

describe.each([
  ['cloud', 'cloud.env.example'],
  ['edge', 'edge.env.example'],
] as const)('deploy/%s env example', (service, file) => {
  it(`lists every variable the ${service} reads, each with its meaning, and nothing else`, () => {
    expect(exampleProblems(serviceVariables(service), example(file))).toEqual([]);
  });
});

describe('example values', () => {
  it('keeps the edge data in the systemd StateDirectory and the cloud data where compose mounts it', () => {
    expect(example('edge.env.example').get('EDGE_DATA_DIR')?.value).toBe('/var/lib/clubos-edge');
    expect(example('cloud.env.example').get('CLOUD_DATA_DIR')?.value).toBe('/var/lib/clubos-cloud');
  });
});
