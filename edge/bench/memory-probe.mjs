/**
 * Preloaded into the edge server by the memory benchmark (`node --import ./edge/bench/memory-probe.mjs`):
 * on SIGUSR2 it writes the process's memory breakdown as JSON to MEMORY_PROBE_FILE. Plain JavaScript so
 * that it loads with or without the tsx loader; it allocates nothing until asked.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import v8 from 'node:v8';
import vm from 'node:vm';

const MB = 1024 * 1024;
const mb = (bytes) => Math.round((bytes / MB) * 10) / 10;

/** `/proc/self/smaps_rollup` and `/proc/self/status` fields in MB (Linux; empty elsewhere). */
function procFields(file, names) {
  const out = {};
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return out;
  }
  for (const name of names) {
    const match = new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(text);
    if (match)
      out[name] = name === 'Threads' ? Number(match[1]) : Math.round((Number(match[1]) / 1024) * 10) / 10;
  }
  return out;
}

export function memoryBreakdown() {
  const usage = process.memoryUsage();
  const heap = v8.getHeapStatistics();
  const spaces = {};
  for (const space of v8.getHeapSpaceStatistics()) spaces[space.space_name] = mb(space.space_used_size);
  return {
    rss_mb: mb(usage.rss),
    heap_total_mb: mb(usage.heapTotal),
    heap_used_mb: mb(usage.heapUsed),
    external_mb: mb(usage.external),
    array_buffers_mb: mb(usage.arrayBuffers),
    malloced_mb: mb(heap.malloced_memory),
    native_contexts: heap.number_of_native_contexts,
    heap_spaces_used_mb: spaces,
    smaps: procFields('/proc/self/smaps_rollup', ['Rss', 'Anonymous', 'Shared_Clean', 'Private_Clean']),
    status: procFields('/proc/self/status', ['VmRSS', 'RssAnon', 'RssFile', 'VmHWM', 'Threads']),
  };
}

/** A full garbage collection on demand, without starting node with --expose-gc. */
function collectGarbage() {
  v8.setFlagsFromString('--expose-gc');
  vm.runInNewContext('gc')();
}

const target = process.env.MEMORY_PROBE_FILE;
if (target) {
  // The figures as they are, then after a full GC (what is live, not yet-uncollected garbage).
  process.on('SIGUSR2', () => {
    const before = memoryBreakdown();
    collectGarbage();
    if (process.env.MEMORY_PROBE_HEAPSNAPSHOT) v8.writeHeapSnapshot(process.env.MEMORY_PROBE_HEAPSNAPSHOT);
    setTimeout(() => writeFileSync(target, JSON.stringify({ ...before, after_gc: memoryBreakdown() })), 200);
  });
}
