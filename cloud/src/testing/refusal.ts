import { expect } from 'vitest';
import type { TestApp } from './test-app.js';

/** Sends `request` and expects the error envelope's `status` naming `field`; returns the answer. */
export async function expectRefused(
  t: TestApp,
  request: Parameters<TestApp['request']>[0],
  status: number,
  field: string,
) {
  const res = await t.request(request);
  expect(res.statusCode, res.body).toBe(status);
  expect(res.json().error.field, res.body).toBe(field);
  return res;
}
