/**
 * V8 settings a run changes after start-up (src/cli.ts sets the ones for every run before anything
 * is allocated), and setting them back. V8 hashes its flags into a code cache and rejects a cache
 * made under other flags than the next start-up's (cli/launch.ts): a flag changed here is recorded
 * with its start-up value, and main.ts sets them all back when the command is done, before cli.ts
 * writes the cache. With the young-generation flag still set at exit, every capture run's cache was
 * rejected and rewritten (0.14 instead of 0.10 CPU-s for a small capture; test/cli/launch.test.ts).
 */
import { getHeapSpaceStatistics, getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** The flags this run changed, each in the form that sets it back (V8's default, flag-definitions.h). */
const toRestore = new Set<string>();

function setRunFlag(flag: string, startUp: string): void {
  setFlagsFromString(flag);
  toRestore.add(startUp);
}

/** Sets back every flag this run changed (main.ts, when a command is done). */
export function restoreRunFlags(): void {
  for (const f of toRestore) setFlagsFromString(f);
  toRestore.clear();
}

/**
 * The heap for a capture run, from the start of its read, and a full collection to make where the
 * read's state becomes garbage at once (cli/analysis.ts analyze).
 *
 * The young generation keeps the size it has (V8 NewSpace::Grow with semi_space_growth_factor 1)
 * instead of doubling up to 16 MB semi-spaces: both semi-spaces are resident, and reading a capture
 * makes mostly short-lived objects, so scavenges come more often (744 instead of 140 on the pooled
 * 2 GB capture) but each finds little alive. Peak RSS, -T json, V8's growth → this, two runs each
 * interleaved (/usr/bin/time, scripts/bench.mjs's inputs): pooled 100 MB 140 → 106 MB (CPU -1 to
 * +5 %), 500 MB 182 → 136 MB (+5 to +10 %), 2 GB 296 → 250 MB (+1 to +9 %), 200,000 open
 * connections 394 → 376 MB (+6 %). Letting it grow to 4 MB semi-spaces first (as a log run does,
 * logHeap) gave 500 MB and 2 GB 7–10 % less CPU in three interleaved runs, then nothing in the
 * bench's run, for +4 to +14 MB (the 2 GB frames run at 254 MB): not kept. Not for logs: a 1M-line
 * mod_jk log paid +20 % CPU with it (its per-line strings outlive the smaller scavenges).
 *
 * The collection: the end of the capture ends every connection still open (tens of thousands with
 * pooled connections), each leaving its state in an old generation V8 collects only once it has
 * grown 1.5× (cli.ts, --heap-growing-percent), and those ends promote what they make: the peak of
 * such a run was there, then the rules and the report grew the heap over that garbage. So the
 * caller collects after every 32,768 connections ended (TcpFlowTable.finish) and once after the
 * analysis. Peak RSS, two runs each interleaved, V8 alone → these collections: the pooled 2 GB
 * capture -T json 245 → 224 MB, text 246 → 224, frames 268 → 250 (CPU +1 to +3 %); 200,000 open
 * connections 351 → 312 MB (+3 to +10 %); 500 MB and 100 MB within 3 MB. The gc function is had
 * through --expose-gc, set back at once (the function, once had, stays usable).
 */
export function captureHeap(): (minUsed?: number) => void {
  setRunFlag('--semi-space-growth-factor=1', '--semi-space-growth-factor=2');
  setFlagsFromString('--expose-gc');
  const collect = runInNewContext('gc') as () => void;
  setFlagsFromString('--no-expose-gc');
  return (minUsed = 0) => {
    if (minUsed === 0 || getHeapStatistics().used_heap_size >= minUsed) collect();
  };
}

/**
 * The heap in use above which the collection after a capture's analysis is made (cli/analysis.ts):
 * below it there is little to collect, and a small capture's run paid 8 ms for it (of ~0.2 s).
 */
export const AFTER_READ = 32 * 1024 * 1024;

/**
 * A log run's young generation: let grow to semi-spaces of LOG_SEMI_SPACE bytes, then kept there.
 *
 * V8 doubles the semi-spaces while scavenges find much alive (NewSpace::Grow), up to 16 MB each on
 * 64 bits: the young generation is then 3 × 16 MB resident (both semi-spaces and the new large
 * object space), where reading a log needs far less: each line's strings die within the next
 * lines, and what outlives them (the intake's rows, the texts kept as evidence) is promoted
 * anyway. The semi-space size cannot be capped once V8 has started (`--max-semi-space-size` is read
 * when the heap is set up), so the growth factor is set to 1 once the young generation has reached
 * the size wanted (not the 1 MB a run starts with, which a capture run keeps,
 * captureHeap: a 1M-line mod_jk log paid +20 % CPU with that).
 * Peak RSS, V8's growth → semi-spaces of 4 MB (`node --max-semi-space-size=4`), three runs each
 * interleaved, /usr/bin/time, scripts/bench.mjs's 1M-line logs: outage 249 → 216 MB (CPU 3.88 →
 * 4.03 s), mod_jk 115 → 92 MB (1.62 → 1.54 s), noise 94 → 85 MB (1.79 → 1.77 s).
 *
 * Returns the check to call now and then while reading (readLogStream: after each 64 KiB chunk):
 * V8 grows the young generation only at a scavenge, one per semi-space of allocation, and the
 * check comes well before a log has allocated 4 MB more. Once frozen, a check costs nothing.
 */
export function logHeap(): () => void {
  let frozen = false;
  const check = () => {
    if (frozen) return;
    // new_space's size is both semi-spaces'
    const young = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
    if (young === undefined || young.space_size >= 2 * LOG_SEMI_SPACE) {
      setRunFlag('--semi-space-growth-factor=1', '--semi-space-growth-factor=2');
      frozen = true;
    }
  };
  // Once now: the start-up may have grown it already (compiling the command line without a code
  // cache does), and it must grow no further.
  check();
  return check;
}

/** The semi-space size a log run keeps (logHeap). */
const LOG_SEMI_SPACE = 4 * 1024 * 1024;
