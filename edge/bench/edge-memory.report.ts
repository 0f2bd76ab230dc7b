import type { EdgeMemoryResult, EdgeMemorySection } from './edge-memory.js';

const envText = (env: Record<string, string>) =>
  Object.entries(env)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ') || '—';

function row(v: EdgeMemoryResult, target: number): string {
  const b = v.breakdown;
  const g = b.after_gc;
  const anon = b.status.RssAnon ?? 0;
  const file = b.status.RssFile ?? 0;
  return `| ${v.start} | \`${v.command}\` | ${envText(v.env)} | **${v.rss_mb}** ${v.rss_mb < target ? '' : '(over)'} | ${v.rss_5s_mb} | ${b.status.VmHWM ?? v.rss_peak_mb} | ${b.heap_used_mb} / ${b.heap_total_mb} | ${b.external_mb} | ${anon} / ${file} | ${g.rss_mb} / ${g.heap_used_mb} | ${b.status.Threads ?? '—'} |`;
}

/** The memory part of bench/edge-sync.md: every start measured, its breakdown, and what it means. */
export function renderMemorySection(m: EdgeMemorySection): string {
  const first = m.variants[0]!;
  return `## Edge resident memory (target < ${m.target_mb} MB)

Each row is a separate edge server process (\`edge/bench/edge-memory.ts\`): ${m.days} days × ${m.bays} bays of schedule (${first.bookings.toLocaleString('en')} bookings) loaded from the cloud feed, then ${first.lan_requests} LAN requests (staff login, availability for each day, booking lookups by code, today's schedule, the console board, sync status) with the console's events stream held open, then idle. \`NODE_ENV=production\`, \`LOG_LEVEL=info\`. VmRSS is sampled from outside every 0.5 s for 60 s; "settled" is the median of the last samples (V8's memory reducer gives back the heap left by the catch-up after ~30-40 s of quiet). The breakdown is read inside the process (\`edge/bench/memory-probe.mjs\`, preloaded; \`MEMORY_PROBE_HEAPSNAPSHOT=<file>\` also writes a heap snapshot). MB = MiB.

| start | command | environment | RSS settled | RSS at 5 s | peak (VmHWM) | V8 heap used / total | external | anonymous / file-backed RSS | after a full GC: RSS / heap used | threads |
|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|
${m.variants.map((v) => row(v, m.target_mb)).join('\n')}

Where the memory goes:
- **File-backed RSS** is mostly the node binary's own code and read-only data; it is the same for every start and no setting of ours changes it.
- **The tsx loader** (the committed unit) runs its hooks on a second thread with its own V8 isolate and keeps the transpiled sources: the difference between the unit's row and the compiled rows. \`npx tsc -b edge/tsconfig.build.json\` emits \`edge/dist/runtime/\` (no tests, no test support) and \`node --conditions=clubos-build edge/dist/runtime/server.js\` runs it without a loader (\`@clubos/shared\` resolves to its own compiled output under that condition).
- **glibc's arenas**: scrypt (staff login, 16 MB per hash), HTTP bodies and V8's compiler work allocate large blocks; once one is freed glibc raises its mmap threshold and later large blocks stay in per-thread arenas after they are freed. \`MALLOC_MMAP_THRESHOLD_=131072\` pins the threshold at its default so large blocks go back to the system, and \`MALLOC_ARENA_MAX=2\` bounds the arenas (2 cores).
- **V8's young generation** grows towards 2 × 16 MB semi-spaces during the catch-up's JSON work and stays committed until the memory reducer runs; \`--max-semi-space-size=2\` caps it at the cost of more frequent scavenges. \`--max-old-space-size\` is not proposed: a hard cap turns a larger snapshot into an out-of-memory crash of the process the doors depend on.
- **The V8 heap** left by the catch-up (the snapshot's JSON and its mapping) is garbage, not a cache: after a full GC the live heap is the code and sources of the modules loaded (Fastify, Ajv, TypeBox, drizzle, axios, aedes, luxon, pino, the edge's own), with no bookings held in memory. The schedule lives in SQLite, whose page cache stays at its default (2 MB, \`cache_size=-2000\`) with mmap off.

Proposed production start (\`deploy/\` is unchanged; the headline row follows the unit, which the bench reads): after \`pnpm install\`, build once per deploy with \`pnpm --filter @clubos/edge build:runtime\`, and in \`clubos-edge.service\`:

\`\`\`ini
Environment=NODE_ENV=production MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=131072
ExecStart=/usr/bin/node --conditions=clubos-build edge/dist/runtime/server.js
\`\`\`
`;
}
