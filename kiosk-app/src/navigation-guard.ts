/**
 * Where the kiosk window may go: only the renderer's own page (a `file://` path inside its build
 * folder). Every other navigation, new window or download is refused, so a customer cannot leave the
 * app through a link, a drag-and-drop or a crafted QR code.
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
  if (to.protocol !== home.protocol) return false;
  if (home.protocol === 'file:') return to.pathname === home.pathname;
  return to.origin === home.origin && to.pathname === home.pathname;
}

/** The renderer's address with the settings it reads (settings.ts); the key travels as a header. */
export function rendererAddress(
  indexUrl: string,
  settings: { edgeUrl: string; idleSeconds: number },
): string {
  const url = new URL(indexUrl);
  url.searchParams.set('edge', settings.edgeUrl);
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
