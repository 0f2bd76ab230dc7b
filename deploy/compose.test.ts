import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEnvExample, REPO_ROOT, serviceVariables } from './support/env-vars.js';
import { loadYaml } from './support/yaml.js';

const DEPLOY = path.join(REPO_ROOT, 'deploy');

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  env_file?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
}
interface Compose {
  services: { db: Service; cloud: Service };
  volumes: Record<string, unknown>;
}

const compose = loadYaml().parse(readFileSync(path.join(DEPLOY, 'compose.cloud.yml'), 'utf8')) as Compose;
const { db, cloud } = compose.services;
const dockerfile = readFileSync(path.join(DEPLOY, 'Dockerfile.cloud'), 'utf8');

describe('compose.cloud.yml', () => {
  it('runs PostgreSQL 16 with a health check and its data on a named volume', () => {
    expect(db.image).toMatch(/^postgres:16(\.|-|$)/);
    expect(db.healthcheck?.test.join(' ')).toContain('pg_isready');
    const [volume, mountPoint] = (db.volumes?.[0] ?? '').split(':');
    expect(mountPoint).toBe('/var/lib/postgresql/data');
    expect(Object.keys(compose.volumes)).toContain(volume);
    expect(db.environment?.POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD:\?/);
  });

  it('starts the cloud only once the database is healthy, on that database', () => {
    expect(cloud.depends_on?.db?.condition).toBe('service_healthy');
    const url = new URL((cloud.environment?.DATABASE_URL ?? '').replace(/\$\{POSTGRES_PASSWORD\}/, 'pw'));
    expect(url.hostname).toBe('db');
    expect(url.username).toBe(db.environment?.POSTGRES_USER);
    expect(url.pathname).toBe(`/${db.environment?.POSTGRES_DB}`);
  });

  it('passes every cloud variable through cloud.env (documented by cloud.env.example) and no unknown one', () => {
    expect(cloud.env_file).toEqual(['cloud.env']);
    const documented = parseEnvExample(readFileSync(path.join(DEPLOY, 'cloud.env.example'), 'utf8'));
    const read = serviceVariables('cloud');
    expect(read.filter((name) => !documented.has(name))).toEqual([]);
    expect(Object.keys(cloud.environment ?? {}).filter((name) => !read.includes(name))).toEqual([]);
  });

  it('keeps the cloud data folder on a volume and publishes the port the cloud listens on', () => {
    const dataDir = cloud.environment?.CLOUD_DATA_DIR;
    const mount = cloud.volumes?.find((v) => v.endsWith(`:${dataDir}`));
    expect(mount).toBeDefined();
    expect(Object.keys(compose.volumes)).toContain(mount?.split(':')[0]);
    expect(cloud.ports?.[0]).toMatch(new RegExp(`:${cloud.environment?.PORT}$`));
    expect(dockerfile).toContain(`EXPOSE ${cloud.environment?.PORT}`);
  });

  it('builds the image from the repository with a Dockerfile that starts the cloud server', () => {
    const context = path.resolve(DEPLOY, cloud.build?.context ?? '');
    expect(context).toBe(path.resolve(REPO_ROOT));
    expect(existsSync(path.join(context, cloud.build?.dockerfile ?? ''))).toBe(true);
    const cmd = /^CMD (\[.*\])$/m.exec(dockerfile)?.[1];
    const args = JSON.parse(cmd ?? '[]') as string[];
    // The compiled cloud (cloud-runtime.test.ts builds and starts it): its source is the server.
    expect(args.slice(0, 2)).toEqual(['node', '--conditions=clubos-build']);
    const source = (args[2] ?? '').replace('cloud/dist/runtime/', 'cloud/src/').replace(/\.js$/, '.ts');
    expect(existsSync(path.join(REPO_ROOT, source))).toBe(true);
    // Every manifest of the workspace is copied before the frozen install.
    for (const pkg of ['shared', 'cloud', 'edge', 'kiosk-app', 'simulators']) {
      expect(dockerfile).toContain(`COPY ${pkg}/package.json ${pkg}/`);
    }
  });

  it('keeps secrets and local installs out of the build context', () => {
    const ignore = readFileSync(path.join(DEPLOY, 'Dockerfile.cloud.dockerignore'), 'utf8').split('\n');
    expect(ignore).toEqual(expect.arrayContaining(['deploy/*.env', '**/.env', '**/node_modules', '.git']));
  });
});
