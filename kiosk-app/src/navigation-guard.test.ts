import { describe, expect, it } from 'vitest';
import { isAllowedNavigation, rendererAddress, withDeviceKey } from './navigation-guard.js';

const HOME = 'http://10.0.0.5:8080/kiosk/index.html?idle=60';

describe('navigation guard', () => {
  it('allows only the renderer page the edge serves', () => {
    expect(isAllowedNavigation('http://10.0.0.5:8080/kiosk/index.html?idle=5#x', HOME)).toBe(true);
    expect(isAllowedNavigation('http://10.0.0.5:8080/console/', HOME)).toBe(false);
    expect(isAllowedNavigation('http://10.0.0.5:8080/kiosk/other.html', HOME)).toBe(false);
    expect(isAllowedNavigation('http://evil.test/kiosk/index.html', HOME)).toBe(false);
    expect(isAllowedNavigation('https://10.0.0.5:8080/kiosk/index.html', HOME)).toBe(false);
    expect(isAllowedNavigation('file:///etc/passwd', HOME)).toBe(false);
    expect(isAllowedNavigation('file:///kiosk/index.html', 'file:///kiosk/index.html')).toBe(false);
    expect(isAllowedNavigation('javascript:alert(1)', HOME)).toBe(false);
    expect(isAllowedNavigation('not a url', HOME)).toBe(false);
  });

  it('loads the renderer from the edge (same origin as its API), never with the key', () => {
    const url = new URL(rendererAddress({ edgeUrl: 'http://edge:8080', idleSeconds: 45 }));
    expect(url.origin).toBe('http://edge:8080');
    expect(url.pathname).toBe('/kiosk/index.html');
    expect(url.searchParams.get('idle')).toBe('45');
    expect(url.searchParams.has('key')).toBe(false);
    // Same origin: the renderer calls the API relative to its page, with no edge address to read.
    expect(url.searchParams.has('edge')).toBe(false);
  });

  it('adds the device key to edge requests only', () => {
    const config = { edgeUrl: 'http://edge:8080', deviceKey: 'kiosk_secret_key_123' };
    expect(withDeviceKey('http://edge:8080/api/v1/availability', { Accept: 'x' }, config)).toEqual({
      Accept: 'x',
      Authorization: 'Device kiosk_secret_key_123',
    });
    expect(withDeviceKey('https://cdn.example/x.js', {}, config)).toEqual({});
    expect(withDeviceKey('file:///opt/k/index.html', {}, config)).toEqual({});
  });
});
