/**
 * Reads the `<Message>` verbs of the TwiML our webhook answers an inbound message with: the
 * text (`<Message>text</Message>` or `<Message><Body>text</Body></Message>`) and the `to`, `from`
 * and `statusCallback` attributes. Only what `twilio.twiml.MessagingResponse` writes; not a full
 * XML parser.
 */
export interface TwimlMessage {
  body: string;
  to?: string;
  from?: string;
  statusCallback?: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_match, name: string) => {
    if (name[0] === '#') {
      const code =
        name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return String.fromCodePoint(code);
    }
    return ENTITIES[name.toLowerCase()] ?? '';
  });
}

function attributes(raw: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const match of raw.matchAll(/([A-Za-z_][\w.-]*)\s*=\s*("([^"]*)"|'([^']*)')/g)) {
    result[match[1] as string] = decode(match[3] ?? match[4] ?? '');
  }
  return result;
}

/** Throws a RangeError when the answer is not a `<Response>` document. */
export function parseMessagingTwiml(xml: string): TwimlMessage[] {
  const trimmed = xml.trim();
  if (trimmed === '') return [];
  if (!/<Response\s*\/>|<Response[\s>]/.test(trimmed)) throw new RangeError('TwiML: no <Response> element');
  const messages: TwimlMessage[] = [];
  for (const match of trimmed.matchAll(/<Message(\s[^>]*?)?(\/>|>([\s\S]*?)<\/Message>)/g)) {
    const attrs = attributes(match[1] ?? '');
    const inner = match[3] ?? '';
    const bodyTag = /<Body>([\s\S]*?)<\/Body>/.exec(inner);
    const body = decode(bodyTag ? (bodyTag[1] ?? '') : inner.replace(/<Media>[\s\S]*?<\/Media>/g, '')).trim();
    messages.push({
      body,
      ...(attrs.to ? { to: attrs.to } : {}),
      ...(attrs.from ? { from: attrs.from } : {}),
      ...(attrs.statusCallback ? { statusCallback: attrs.statusCallback } : {}),
    });
  }
  return messages;
}
