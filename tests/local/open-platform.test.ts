/**
 * A local platform started without `apiKey` is open: the endpoint client reaches it with no key
 * configured at all, as `runpod-ts dev` tells a newcomer to try.
 */
import { describe, expect, it } from "vitest";
import { AuthenticationError, Endpoint } from "../../src/endpoint/index.js";
import { startPlatform, workerFor } from "../helpers/local-platform.js";

async function withoutKeyEnv(body: () => Promise<void>): Promise<void> {
  const saved = process.env.RUNPOD_API_KEY;
  delete process.env.RUNPOD_API_KEY;
  try {
    await body();
  } finally {
    if (saved !== undefined) process.env.RUNPOD_API_KEY = saved;
  }
}

describe("an open local platform", () => {
  it("serves an Endpoint that has no key: runSync, run + output, health", async () => {
    await withoutKeyEnv(async () => {
      const p = await startPlatform();
      workerFor(p).start(async (job) => ({ output: { echo: job.input } }));
      const ep = new Endpoint<{ n: number }, { echo: { n: number } }>(p.endpointId, {
        baseUrl: `${p.url}/v2`,
      });
      expect(await ep.runSync({ n: 1 })).toEqual({ echo: { n: 1 } });
      expect(await (await ep.run({ n: 2 })).output()).toEqual({ echo: { n: 2 } });
      expect((await ep.health()).jobs.completed).toBe(2);
    });
  });

  it("a platform with a key still refuses an Endpoint that has none, saying no key was sent", async () => {
    await withoutKeyEnv(async () => {
      const p = await startPlatform({ apiKey: "local-secret" });
      const ep = new Endpoint(p.endpointId, { baseUrl: `${p.url}/v2` });
      const e = await ep.health().catch((x: unknown) => x);
      expect(e).toBeInstanceOf(AuthenticationError);
      expect((e as Error).message).toContain("no API key was sent");
    });
  });
});
