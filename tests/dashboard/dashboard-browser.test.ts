/**
 * The dashboard end to end in Debian's Chromium: the page, its script and the platform over real
 * HTTP, a protocol-level worker doing the jobs. Every wait is on a DOM condition.
 */
import type { BrowserContext, Page } from "playwright-core";
import { afterEach, describe, expect, it } from "vitest";
import type { LocalPlatform } from "../../src/local/index.js";
import { useBrowser } from "../helpers/browser.js";
import { createLbEndpoint, readyWorkers, startLb } from "../helpers/load-balancer.js";
import { client, startPlatform, workerFor } from "../helpers/local-platform.js";
import { scriptedHandler } from "../helpers/scripted-handler.js";

const browser = useBrowser();
const contexts: BrowserContext[] = [];
/** Script errors on any page fail the test that caused them. */
const pageErrors: string[] = [];
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
  expect(pageErrors.splice(0)).toEqual([]);
});

async function openDashboard(p: LocalPlatform, hash = ""): Promise<Page> {
  const context = await browser.current.newContext();
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  await page.goto(`${p.url}/${hash}`);
  return page;
}

/** The platform plus one worker whose behaviour each job's input picks. */
async function setUp() {
  const p = await startPlatform({ longPollMs: 60_000 });
  const script = scriptedHandler();
  workerFor(p, "w1").start(script.handler, 2);
  return { p, script, api: client(p) };
}

const jobStatus = (page: Page) => page.locator("#job-facts dd").first();

async function waitForText(page: Page, selector: string, text: string): Promise<void> {
  await page.locator(selector, { hasText: text }).first().waitFor();
}

describe("dashboard in a browser", () => {
  it("submits a job from the form, shows its chunks as they arrive, and its completion", async () => {
    const { p, script } = await setUp();
    const page = await openDashboard(p, "#/submit");
    await page.getByLabel("Input (a JSON object").fill('{"mode": "stream", "gate": true}');
    await page.getByRole("button", { name: "Submit job" }).click();

    // The page moves to the new job's view; the first chunk shows while the job still runs.
    await page.locator("#job-chunks li", { hasText: '"Hello"' }).waitFor();
    expect(await jobStatus(page).textContent()).toBe("IN_PROGRESS");
    expect(await page.locator("#job-chunks li").count()).toBe(1);
    script.openGate();

    await waitForText(page, "#job-facts dd", "COMPLETED");
    await page.locator("#job-chunks li").nth(3).waitFor();
    const chunks = await page.locator("#job-chunks li code").allTextContents();
    expect(chunks.map((c) => JSON.parse(c).token)).toEqual(["Hello", "from", "the", "worker"]);
    expect(JSON.parse((await page.locator("#job-output").textContent()) ?? "")).toEqual({
      text: "Hello from the worker",
    });
    expect(JSON.parse((await page.locator("#job-input").textContent()) ?? "")).toEqual({
      mode: "stream",
      gate: true,
    });
    await page.locator("#job-progress li", { hasText: "percent" }).waitFor();

    // The jobs table lists it as completed, with its worker.
    await page.getByRole("link", { name: "Jobs", exact: true }).click();
    const row = page.locator("#jobs-body tr", { hasText: "COMPLETED" });
    await row.waitFor();
    expect(await row.locator("td").nth(4).textContent()).toBe("w1");
    await waitForText(page, "#health-jobs", "1");
    expect(await page.locator("#health-jobs dd").first().textContent()).toBe("1"); // completed
  });

  it("submits with runsync and refuses input that is not a JSON object, before and at the server", async () => {
    const { p, api } = await setUp();
    const page = await openDashboard(p, "#/submit");
    const input = page.getByLabel("Input (a JSON object");
    await input.fill("[1, 2]");
    await waitForText(page, "#submit-error", "must be a JSON object");
    expect(await input.getAttribute("aria-invalid")).toBe("true");
    await input.fill("{oops");
    await page.getByRole("button", { name: "Submit job" }).click();
    await waitForText(page, "#submit-error", "Not valid JSON");
    expect(p.jobs()).toEqual([]);
    // What the browser checks, the platform checks too.
    expect((await api.post("/run", { input: [1, 2] })).status).toBe(400);

    await input.fill('{"prompt": "sync"}');
    await page.getByLabel("runsync").check();
    await page.getByRole("button", { name: "Submit job" }).click();
    await waitForText(page, "#job-facts dd", "COMPLETED");
    expect(await page.locator("#job-id").textContent()).toMatch(/^sync-/);
    await waitForText(page, "#job-output", '"prompt": "sync"');
  });

  it("cancels a running job with the button, which stops its handler", async () => {
    const { p, api, script } = await setUp();
    const { id } = (await api.post("/run", { input: { mode: "hang" } })).json;
    const page = await openDashboard(p, `#/jobs/${id}`);
    await waitForText(page, "#job-facts dd", "IN_PROGRESS");
    expect(await page.getByRole("button", { name: "Retry job" }).isDisabled()).toBe(true);
    await page.getByRole("button", { name: "Cancel job" }).click();
    await waitForText(page, "#job-message", "Job is now CANCELLED.");
    await waitForText(page, "#job-facts dd", "CANCELLED");
    expect(String(await script.stopped)).toContain("stopped by the platform");
    expect((await api.get(`/status/${id}`)).json.status).toBe("CANCELLED");
  });

  it("shows a FAILED job's JSON error readably, with the stack, and retries it", async () => {
    const { p, api } = await setUp();
    const failed = jobReachesAny(p, "FAILED");
    const { id } = (await api.post("/run", { input: { mode: "fail" } })).json;
    await failed;
    const page = await openDashboard(p, "#/jobs");
    await page.getByLabel("Status").selectOption("FAILED");
    await page.getByRole("link", { name: id }).click();

    const box = page.getByRole("region", { name: "Error" });
    await box.waitFor();
    expect(await box.locator("p").first().textContent()).toBe(
      "<class 'ValueError'>: prompt must not be empty",
    );
    await waitForText(page, "#job-error", "From worker w1, host local-host, runpod 1.12.0");
    expect(await box.locator("pre").textContent()).toContain(
      'File "/app/handler.py", line 12, in handler',
    );

    await page.getByRole("button", { name: "Retry job" }).click();
    await waitForText(page, "#job-message", "Job is now IN_QUEUE.");
    // The worker fails it again: the retried job is FAILED with one retry.
    await page.locator("#job-facts dd", { hasText: /^1$/ }).waitFor();
    await waitForText(page, "#job-facts dd", "FAILED");
  });

  it("lists workers with their state and running jobs, reached with the keyboard", async () => {
    const { p, api } = await setUp();
    const { id } = (await api.post("/run", { input: { mode: "hang" } })).json;
    const page = await openDashboard(p);
    await page.getByRole("heading", { name: "Jobs", exact: true }).waitFor();
    await page.getByRole("link", { name: "Workers" }).focus();
    await page.keyboard.press("Enter");
    // Focus follows to the new view's heading.
    await page.waitForFunction(() => document.activeElement?.id === "workers-title");
    const row = page.locator("#workers-body tr", { hasText: "w1" });
    await row.locator("td", { hasText: "running" }).waitFor();
    await row.getByRole("link", { name: id }).waitFor();
    await api.post(`/cancel/${id}`);
    await row.locator("td", { hasText: "idle" }).waitFor();
  });

  it("shows the load balancer's workers with requests in flight, and its requests", async () => {
    const { url, platform } = await startLb({}, { dashboard: true });
    const [worker] = await readyWorkers(platform, 1);
    const page = await openDashboard(platform, "#/load-balancer");
    await page.getByRole("heading", { name: "Load balancer" }).waitFor();
    const row = page.locator("#lb-workers-body tr", { hasText: "lb-worker-1" });
    await row.locator("td", { hasText: "ready" }).waitFor();
    expect(await row.locator("td:nth-child(2)").textContent()).toBe("local-lb");
    const held = fetch(`${url}/hold/page`);
    // In flight: the fourth cell counts the request the worker holds.
    await row.locator("td:nth-child(4)", { hasText: "1" }).waitFor();
    await fetch(`http://127.0.0.1:${worker?.port}/release/page`, { method: "POST" });
    expect((await held).status).toBe(200);
    await row.locator("td:nth-child(4)", { hasText: "0" }).waitFor();
    await page.locator("#lb-requests-body tr", { hasText: "/hold/page" }).waitFor();
    expect(await page.locator("#lb-requests-body tr").first().textContent()).toContain("200");
  });

  it("shows an endpoint created through REST v2 beside the configured one, with its workers and requests", async () => {
    const { platform } = await startLb({}, { dashboard: true });
    await readyWorkers(platform, 1);
    const page = await openDashboard(platform, "#/load-balancer");
    await page.locator("#lb-endpoints-body tr", { hasText: "local-lb" }).waitFor();

    const made = await createLbEndpoint(platform.url, { LBW_INIT_MS: "300" });
    const endpointRow = page.locator("#lb-endpoints-body tr", { hasText: made.id });
    await endpointRow.locator("td", { hasText: made.base }).waitFor();
    expect(await endpointRow.locator("td:nth-child(3)").textContent()).toBe("0");

    expect((await fetch(`${made.base}/status/202`, { method: "POST" })).status).toBe(202);
    // Its worker is numbered after the configured endpoint's, and says whose it is.
    const row = page.locator("#lb-workers-body tr", { hasText: "lb-worker-2" });
    await row.locator("td", { hasText: "ready" }).waitFor();
    expect(await row.locator("td:nth-child(2)").textContent()).toBe(made.id);
    // Cold start: first 204 to first 200, shown in the sixth cell.
    expect(await row.locator("td:nth-child(6)").textContent()).not.toBe("—");
    await endpointRow.locator("td:nth-child(3)", { hasText: "1" }).waitFor();
    const request = page.locator("#lb-requests-body tr", { hasText: "/status/202" });
    await request.waitFor();
    expect(await request.locator("td:nth-child(2)").textContent()).toBe(made.id);
    expect(await request.locator("td:nth-child(5)").textContent()).toBe("202");
    expect(await request.locator("td:nth-child(6)").textContent()).toBe("lb-worker-2");
  });

  it("asks for the API key, keeps it in the tab, and never puts it in a URL", async () => {
    const p = await startPlatform({ apiKey: "dash-key-123" });
    const requested: string[] = [];
    const page = await openDashboard(p);
    page.on("request", (r) => requested.push(r.url()));
    const key = page.getByLabel("API key", { exact: true });
    await key.fill("wrong");
    await page.getByRole("button", { name: "Unlock" }).click();
    await waitForText(page, "#auth-error", "That key was refused.");
    await key.fill("dash-key-123");
    await page.getByRole("button", { name: "Unlock" }).click();
    await page.getByRole("heading", { name: "Health" }).waitFor();
    await client(p, { authorization: "Bearer dash-key-123" }).post("/run", { input: {} });
    await page.locator("#jobs-body tr").first().waitFor();
    expect(requested.some((u) => u.includes("dash-key-123"))).toBe(false);
    expect(await page.evaluate(() => sessionStorage.length)).toBe(1);
  });

  it("falls back to polling when the event stream is unavailable", async () => {
    const p = await startPlatform();
    const context = await browser.current.newContext();
    contexts.push(context);
    // The stream's requests fail as a proxy that cuts them would make them fail.
    await context.route("**/_dashboard/api/events", (route) => route.abort());
    const page = await context.newPage();
    await page.goto(`${p.url}/`);
    await waitForText(page, "#connection", "Polling");
    const { id } = (await client(p).post("/run", { input: {} })).json;
    await page.locator(`#jobs-body tr[data-id="${id}"]`).waitFor();
  });
});

function jobReachesAny(p: LocalPlatform, state: string): Promise<unknown> {
  return new Promise((resolve) => {
    const stop = p.subscribe((e) => {
      if (e.type === "job" && e.job.status === state) {
        stop();
        resolve(e);
      }
    });
  });
}
