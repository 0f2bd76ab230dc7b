import { expect } from 'vitest';
import type { TestApp } from './test-app.js';

type Method = 'GET' | 'POST' | 'DELETE';

/** Registers an edge for `facilityId` as `admin`; returns its id and the key it is shown once. */
export async function registerEdge(
  t: TestApp,
  admin: string,
  facilityId: string,
  name = 'Front desk PC',
): Promise<{ id: string; key: string }> {
  const res = await t.request({
    method: 'POST',
    url: '/api/v1/edge/nodes',
    token: admin,
    payload: { facility_id: facilityId, name },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

/** A request as the edge holding `key` (`Authorization: Edge <key>`). */
export function asEdge(t: TestApp, key: string, method: Method, url: string, payload?: object) {
  return t.request({
    method,
    url,
    headers: { authorization: `Edge ${key}` },
    ...(payload ? { payload } : {}),
  });
}
