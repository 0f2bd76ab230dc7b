/**
 * Calls a simulator's `/__control` API the way a test harness would; a 204 answers `null`.
 * The body is typed by the caller, since each simulator's control answers differ.
 */
export async function callControl<Body = unknown>(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Body }> {
  const res = await fetch(`${baseUrl}/__control${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (res.status === 204 ? null : await res.json()) as Body };
}
