import type { TestApp } from './test-app.js';

/** GET /api/v1/customers/:id as `token` (or with raw `headers`, e.g. an edge's key). */
export function getCustomer(t: TestApp, id: string, token?: string, headers?: Record<string, string>) {
  return t.request({
    method: 'GET',
    url: `/api/v1/customers/${id}`,
    ...(token ? { token } : {}),
    ...(headers ? { headers } : {}),
  });
}
