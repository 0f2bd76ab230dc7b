import { describe, expect, it } from 'vitest';
import { jobIdOf } from './notification.queue.js';
import { reminderMinutesProblem, reminderOffsets } from './reminder-offsets.js';

describe('reminder offsets', () => {
  it('default to 24 h and 2 h; a facility setting replaces them, largest first, without repeats', () => {
    expect(reminderOffsets({})).toEqual([1440, 120]);
    expect(reminderOffsets(null)).toEqual([1440, 120]);
    expect(reminderOffsets({ reminder_minutes: [30, 2880, 30] })).toEqual([2880, 30]);
    expect(reminderOffsets({ reminder_minutes: [] })).toEqual([]);
  });

  it('refuse what cannot be a reminder, naming the setting', () => {
    expect(reminderMinutesProblem(undefined)).toBeUndefined();
    expect(reminderMinutesProblem([1440, 120])).toBeUndefined();
    for (const bad of [[0], [-5], [1.5], [20_161], 'soon', [1, 2, 3, 4, 5, 6]]) {
      expect(reminderMinutesProblem(bad), JSON.stringify(bad)).toMatch(/^settings\.reminder_minutes/);
    }
  });
});

describe('job ids from keys', () => {
  it('are UUIDs that only their key makes', () => {
    const a = jobIdOf('reminder:b1:1:1440');
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(jobIdOf('reminder:b1:1:1440')).toBe(a);
    expect(jobIdOf('reminder:b1:2:1440')).not.toBe(a);
  });
});
