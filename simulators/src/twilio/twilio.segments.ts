/**
 * How many SMS segments a body takes, as Twilio counts `num_segments`: GSM-7 when every character
 * is in the GSM 03.38 alphabet (160 alone, 153 per part; the extension characters take two
 * septets and are never split between parts), otherwise UCS-2 for the whole message (70 alone,
 * 67 per part; a surrogate pair is never split).
 */
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENSION = '\f^{}\\[~]|€';

const basic = new Set(GSM_BASIC);
const extension = new Set(GSM_EXTENSION);

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SegmentCount {
  encoding: SmsEncoding;
  segments: number;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  units: number;
}

function pack(weights: number[], single: number, perPart: number): number {
  const total = weights.reduce((sum, w) => sum + w, 0);
  if (total <= single) return 1;
  let parts = 1;
  let used = 0;
  for (const w of weights) {
    if (used + w > perPart) {
      parts += 1;
      used = 0;
    }
    used += w;
  }
  return parts;
}

export function countSegments(body: string): SegmentCount {
  const chars = [...body];
  if (chars.every((c) => basic.has(c) || extension.has(c))) {
    const weights = chars.map((c) => (extension.has(c) ? 2 : 1));
    return {
      encoding: 'GSM-7',
      segments: pack(weights, 160, 153),
      units: weights.reduce((a, b) => a + b, 0),
    };
  }
  const weights = chars.map((c) => c.length);
  return { encoding: 'UCS-2', segments: pack(weights, 70, 67), units: body.length };
}
