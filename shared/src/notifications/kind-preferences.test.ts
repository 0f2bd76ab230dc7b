import { describe, expect, it } from 'vitest';
import { channelsFor, kindChannelsProblem } from './index.js';

const on = { email: true, sms: true, in_app: true };

describe('per-kind channel preferences', () => {
  it('a kind with nothing stored goes by every channel the overall switches allow', () => {
    expect(channelsFor(undefined, {})).toEqual(on);
    expect(channelsFor(undefined, { notifications: { sms: false } })).toEqual({ ...on, sms: false });
    expect(channelsFor({ email: false }, {})).toEqual({ ...on, email: false });
  });

  it('a reminder may be turned off everywhere', () => {
    expect(kindChannelsProblem('reminder', { email: false, sms: false, in_app: false })).toBeUndefined();
  });

  it('the confirmation and reschedule keep email or SMS (in-app alone does not carry the PIN out)', () => {
    expect(kindChannelsProblem('confirmation', { email: false, sms: false, in_app: true })).toMatch(
      /door PIN/,
    );
    expect(kindChannelsProblem('reschedule', { email: false, sms: true, in_app: false })).toBeUndefined();
    // SMS on for the kind, but the customer switched SMS off overall: nothing would carry the PIN.
    expect(
      kindChannelsProblem(
        'reschedule',
        { email: false, sms: true, in_app: true },
        { notifications: { sms: false } },
      ),
    ).toMatch(/overall/);
  });
});
