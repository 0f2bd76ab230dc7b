import { expect } from 'vitest';
import { headersFor, type OpsWorld, ROLES, type Role } from './ops-world.js';
import type { TestApp } from './test-app.js';

/** One request of an authorization matrix; `prepare` builds a fresh target when the call consumes it. */
export interface MatrixCall {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  url: string;
  payload?: Record<string, unknown>;
  /** Replaces the role's credentials (e.g. the owner of a freshly created customer). */
  headers?: Record<string, string>;
}

export interface MatrixEndpoint {
  name: string;
  expect: Record<Role, number>;
  prepare: (role: Role) => Promise<MatrixCall>;
}

/** anonymous, customer, staff of A, staff of B, admin, edge of A — the target always lives in facility A. */
export const row = (
  anonymous: number,
  customer: number,
  staffA: number,
  staffB: number,
  admin: number,
  edgeA: number,
): Record<Role, number> => ({ anonymous, customer, staffA, staffB, admin, edgeA });

/** `METHOD /path/:param` of every operation in the app's OpenAPI document that `owns` accepts. */
export async function documentedRoutes(
  t: TestApp,
  owns: (path: string, tags: string[]) => boolean,
): Promise<string[]> {
  const doc = (await t.request({ method: 'GET', url: '/docs/json' })).json();
  return Object.entries(doc.paths as Record<string, Record<string, { tags?: string[] }>>)
    .flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => owns(path, op.tags ?? []))
        .map(([m]) => `${m.toUpperCase()} ${path.replace('/api/v1', '').replace(/\{(\w+)\}/g, ':$1')}`),
    )
    .sort();
}

/** Sends the endpoint's call as every role and expects its row of statuses. */
export async function expectMatrixRow(t: TestApp, w: OpsWorld, endpoint: MatrixEndpoint): Promise<void> {
  const answers: Record<string, number> = {};
  for (const role of ROLES) {
    const call = await endpoint.prepare(role);
    const res = await t.app.inject({
      method: call.method,
      url: call.url,
      headers: call.headers ?? headersFor(w, role),
      ...(call.payload ? { payload: call.payload } : {}),
    });
    answers[role] = res.statusCode;
  }
  expect(answers).toEqual(endpoint.expect);
}
