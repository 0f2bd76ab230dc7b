import { describe, expect, it } from 'vitest';
import { isAllowedNavigation, rendererAddress, withDeviceKey } from './navigation-guard.js';

const HOME = 'file:///opt/clubos/kiosk/dist/renderer/index.html?edge=http%3A%2F%2Fedge%3A8080&idle=60';

describe('navigation guard', () => {
  it('allows only the renderer page itself', () => {
    expect(isAllowedNavigation('file:///opt/clubos/kiosk/dist/renderer/index.html?idle=5', HOME)).toBe(true);
    expect(isAllowedNavigation('file:///etc/passwd', HOME)).toBe(false);
    expect(isAllowedNavigation('https://example.com/', HOME)).toBe(false);
    expect(isAllowedNavigation('javascript:alert(1)', HOME)).toBe(false);
    expect(isAllowedNavigation('not a url', HOME)).toBe(false);
    const served = 'http://127.0.0.1:5173/kiosk/index.html';
    expect(isAllowedNavigation('http://127.0.0.1:5173/kiosk/index.html#x', served)).toBe(true);
    expect(isAllowedNavigation('http://127.0.0.1:5173/console/', served)).toBe(false);
    expect(isAllowedNavigation('http://evil.test/kiosk/index.html', served)).toBe(false);
  });

  it('builds the renderer address with the settings it reads, never the key', () => {
    const url = new URL(
      rendererAddress('file:///opt/k/index.html', { edgeUrl: 'http://edge:8080', idleSeconds: 45 }),
    );
    expect(url.searchParams.get('edge')).toBe('http://edge:8080');
    expect(url.searchParams.get('idle')).toBe('45');
    expect(url.searchParams.has('key')).toBe(false);
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
