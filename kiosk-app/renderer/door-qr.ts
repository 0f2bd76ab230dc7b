import QRCode from 'qrcode';

/**
 * The door QR as an SVG image. SVG text is the same in the browser and in Node (a PNG is not:
 * canvas and pngjs encode differently), so a test can prove the picture on screen encodes exactly
 * the door token by rendering the token again. Error correction M: scanners read a CB1 token
 * (~200 characters) from a phone or a kiosk screen at arm's length.
 */
export const DOOR_QR_OPTIONS = { type: 'svg', margin: 2, errorCorrectionLevel: 'M' } as const;

export async function doorQrImage(token: string): Promise<string> {
  const svg = await QRCode.toString(token, DOOR_QR_OPTIONS);
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

/** "004219" → "004 219": easier to read off a screen and type on a keypad. */
export function spacedPin(pin: string): string {
  return pin.length === 6 ? `${pin.slice(0, 3)} ${pin.slice(3)}` : pin;
}
