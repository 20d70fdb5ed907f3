/**
 * The platform under benchmark, in its own process so its RSS and CPU are its own. Sends its URL
 * over IPC, answers "rss", and exits on "close". Runs from src: the build's version constant is
 * defined here, as tsup and vitest define it.
 */
(globalThis as { __RUNPOD_TS_VERSION__?: string }).__RUNPOD_TS_VERSION__ = "bench";
const { createLocalPlatform } = await import("../src/serverless/index.js");

const platform = await createLocalPlatform({ port: 0 });
process.send?.({
  ready: { url: platform.endpointUrl, workerEnv: platform.workerEnv("bench-worker") },
});
process.on("message", async (message) => {
  if (message === "rss") process.send?.({ rss: process.memoryUsage().rss });
  if (message === "close") {
    await platform.close();
    process.disconnect();
  }
});

export {};
