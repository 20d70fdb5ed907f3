/**
 * Screenshots of the dashboard for the README (`npm run docs:screenshots`): a local platform with
 * protocol-level workers and a mix of jobs, photographed in Debian's Chromium, light and dark.
 * Waves of jobs ten seconds apart give the chart a few bars, so this takes about half a minute.
 */
import type { Page } from "playwright-core";
import { createLocalPlatform } from "../src/local/index.js";
import { launchChromium } from "../tests/helpers/browser.js";
import { ProtocolWorker } from "../tests/helpers/protocol-worker.js";
import { scriptedHandler } from "../tests/helpers/scripted-handler.js";

const OUT = "docs";
const WAVES = [4, 9, 6];
const WAVE_GAP_MS = 10_000;

const platform = await createLocalPlatform({ port: 0, longPollMs: 60_000 });
const workers = ["worker-a", "worker-b"].map((id) => new ProtocolWorker(platform.workerEnv(id)));
for (const w of workers) w.start(scriptedHandler().handler, 2);
await Promise.all(workers.map((w) => w.ping()));

async function run(input: Record<string, unknown>): Promise<string> {
  const res = await fetch(`${platform.endpointUrl}/run`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ input }),
  });
  return ((await res.json()) as { id: string }).id;
}

/** Ids of jobs that reached a final state, recorded from the start so none is missed. */
const done = new Set<string>();
const waiting = new Map<string, () => void>();
platform.subscribe((e) => {
  if (e.type !== "job" || ["IN_QUEUE", "IN_PROGRESS"].includes(e.job.status)) return;
  done.add(e.job.id);
  waiting.get(e.job.id)?.();
});
function finished(id: string): Promise<void> {
  if (done.has(id)) return Promise.resolve();
  return new Promise((resolve) => waiting.set(id, resolve));
}

for (const [i, count] of WAVES.entries()) {
  const ids = await Promise.all(
    Array.from({ length: count }, (_, j) =>
      run({ mode: "sleep", ms: 150 + ((i * 7 + j * 53) % 400) }),
    ),
  );
  await Promise.all(ids.map(finished));
  if (i < WAVES.length - 1) await new Promise((r) => setTimeout(r, WAVE_GAP_MS));
}
const words = ["Once", "upon", "a", "time,", "a", "worker", "streamed", "tokens."];
const streamed = await run({ mode: "stream", words, prompt: "Tell me a story" });
await finished(streamed);
const failed = await run({ mode: "fail", words: ["Thinking", "about", "it…"], prompt: "" });
await finished(failed);
await run({ mode: "hang", prompt: "a long render" });
await run({ mode: "hang", prompt: "another long render" });
await run({ mode: "hang", prompt: "queued behind the others" });
await run({ mode: "hang", prompt: "queued too" });
await run({ mode: "hang", prompt: "and one more" });

const browser = await launchChromium();
try {
  for (const scheme of ["light", "dark"] as const) {
    const context = await browser.newContext({
      colorScheme: scheme,
      viewport: { width: 1200, height: 820 },
      deviceScaleFactor: 1,
    });
    const page = await context.newPage();
    const suffix = scheme === "dark" ? "-dark" : "";
    const shoot = (name: string) =>
      page.screenshot({ path: `${OUT}/dashboard-${name}${suffix}.png`, fullPage: true });

    await page.goto(`${platform.url}/#/jobs`);
    await page.locator("#jobs-body tr").nth(20).waitFor();
    await page.locator("#connection", { hasText: "Live" }).waitFor();
    await shoot("jobs");

    await openJob(page, failed);
    await page.locator("#job-chunks li").nth(2).waitFor();
    await page.getByRole("region", { name: "Error" }).waitFor();
    await shoot("job-error");

    await openJob(page, streamed);
    await page
      .locator("#job-chunks li")
      .nth(words.length - 1)
      .waitFor();
    await shoot("job-stream");

    await page.goto(`${platform.url}/#/workers`);
    await page.locator("#workers-body tr").nth(1).waitFor();
    await shoot("workers");

    await page.goto(`${platform.url}/#/submit`);
    await page
      .getByLabel("Input (a JSON object")
      .fill('{\n  "prompt": "Hello, world",\n  "max_tokens": 64\n}');
    await shoot("submit");
    await context.close();
  }
} finally {
  await browser.close();
  await Promise.all(workers.map((w) => w.stop()));
  await platform.close();
}

async function openJob(page: Page, id: string): Promise<void> {
  await page.goto(`${platform.url}/#/jobs/${id}`);
  await page.locator("#job-id", { hasText: id }).waitFor();
  await page.locator("#job-facts dd").first().waitFor();
}
