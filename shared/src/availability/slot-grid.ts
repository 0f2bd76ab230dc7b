import { MINUTE_MS } from '../time/interval.js';
import type { BayPlan } from './bay-plan.js';
import type { GridWindow } from './opening-windows.js';
import { type CheckContext, earliestStart, rejectAt } from './slot-check.js';

export interface FreeStart {
  start: number;
  window: GridWindow;
}

/**
 * Free starts on a bay for `durationMs` of play. Slots lie on each rule's grid — the rule's start
 * plus whole multiples of `slot_duration` in REAL elapsed time, so every slot lasts exactly the
 * requested duration even on 23 h and 25 h days (after fall-back, 01:00 EDT and 01:00 EST are both
 * offered). Starts that notice, advance or maintenance rule out are skipped arithmetically before
 * any per-slot test.
 */
export function freeStarts(plan: BayPlan, durationMs: number, ctx: CheckContext): FreeStart[] {
  const out: FreeStart[] = [];
  for (const w of plan.grids) {
    const step = w.rule.slot_duration * MINUTE_MS;
    const lower = Math.max(w.start, earliestStart(w, ctx), plan.blockedUntil);
    const upper = Math.min(w.end - 1, ctx.maxStart(w.rule.max_advance_days));
    if (lower > upper) continue;
    let t = w.start + Math.ceil((lower - w.start) / step) * step;
    for (; t <= upper; t += step) {
      if (rejectAt(plan, w, t, t + durationMs, ctx) === null) out.push({ start: t, window: w });
    }
  }
  // Two rules of one bay may overlap (e.g. a split shift edited twice): keep each start once.
  if (plan.grids.length > 1) {
    out.sort((a, b) => a.start - b.start);
    let k = 0;
    for (const s of out) if (k === 0 || (out[k - 1] as FreeStart).start !== s.start) out[k++] = s;
    out.length = k;
  }
  return out;
}
