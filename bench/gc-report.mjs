// Imported by bench:local's /runsync servers (ours and the baseline). With --expose-gc, SIGUSR2
// reads V8's space sizes (what RSS holds at that moment), collects garbage, then prints one line
// on stderr, `gc done {json}`, so the bench can tell retained memory from garbage not yet collected
// and see where the rest of the RSS is (young generation, old-space room).
import { getHeapSpaceStatistics } from "node:v8";

if (typeof globalThis.gc === "function") {
  process.on("SIGUSR2", () => {
    const spaces = Object.fromEntries(
      getHeapSpaceStatistics().map((s) => [s.space_name, s.space_size]),
    );
    globalThis.gc();
    const report = {
      heapUsed: process.memoryUsage().heapUsed,
      newSpace: spaces.new_space ?? 0,
      oldSpace: spaces.old_space ?? 0,
    };
    process.stderr.write(`gc done ${JSON.stringify(report)}\n`);
  });
}
