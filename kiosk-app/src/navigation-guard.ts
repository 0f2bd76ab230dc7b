/**
 * Where the kiosk window may go: only the renderer's own page, as the edge serves it (same origin,
 * same path; its query and hash may change). Every other navigation, new window or download is
 * refused, so a customer cannot leave the app through a link, a drag-and-drop or a crafted QR code.
 */
export function isAllowedNavigation(target: string, rendererUrl: string): boolean {
  let to: URL;
  let home: URL;
  try {
    to = new URL(target);
    home = new URL(rendererUrl);
  } catch {
    return false;
  }
  if (to.protocol !== 'http:' && to.protocol !== 'https:') return false;
  return to.origin === home.origin && to.pathname === home.pathname;
}

/** Where the edge serves the kiosk renderer (edge/src/app.ts): same origin as the API, so no CORS. */
export const RENDERER_PATH = '/kiosk/index.html';

/**
 * The renderer's address on the edge, with the settings it reads (renderer/settings.ts). The API is
 * on the same origin, so the page needs no edge address; the key travels as a header, never here.
 */
export function rendererAddress(settings: { edgeUrl: string; idleSeconds: number }): string {
  const url = new URL(RENDERER_PATH, settings.edgeUrl);
  url.searchParams.set('idle', String(settings.idleSeconds));
  return url.toString();
}

/** Adds the device key to requests for the edge (and only the edge): it never reaches page script. */
export function withDeviceKey(
  requestUrl: string,
  headers: Record<string, string>,
  config: { edgeUrl: string; deviceKey: string },
): Record<string, string> {
  let origin: string;
  try {
    origin = new URL(requestUrl).origin;
  } catch {
    return headers;
  }
  if (origin !== new URL(config.edgeUrl).origin) return headers;
  return { ...headers, Authorization: `Device ${config.deviceKey}` };
}
