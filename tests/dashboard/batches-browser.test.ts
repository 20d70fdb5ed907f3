/**
 * The dashboard's Batches view in Debian's Chromium: the list with state, counts and progress, a
 * batch's requests, and the links from a request to its job. Every wait is on a DOM condition.
 */
import type { BrowserContext, Page } from "playwright-core";
import { afterEach, describe, expect, it } from "vitest";
import type { LocalPlatform } from "../../src/local/index.js";
import { useBrowser } from "../helpers/browser.js";
import { client, startPlatform, workerFor } from "../helpers/local-platform.js";

const browser = useBrowser();
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
  expect(pageErrors.splice(0)).toEqual([]);
});

async function openDashboard(p: LocalPlatform, hash: string): Promise<Page> {
  const context = await browser.current.newContext();
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  await page.goto(`${p.url}/${hash}`);
  return page;
}

describe("dashboard Batches view", () => {
  it("lists batches with state, counts and progress, and links a batch's requests to their jobs", async () => {
    const p = await startPlatform({ longPollMs: 60_000 });
    const api = client(p);
    const draft = (await api.post("/batch", [{ input: { n: 0 } }])).json.id as string;
    const id = (
      await api.post(
        "/batch",
        [1, 2, 3].map((n) => ({ input: { n } })),
      )
    ).json.id as string;
    await api.call("PUT", `/batch/${id}`, { name: "nightly" });
    await api.post(`/batch/${id}/finalize`);
    const worker = workerFor(p);
    const first = await worker.take();
    await worker.done(first?.id as string, { output: { doubled: 2 } });
    const second = await worker.take();
    await worker.done(second?.id as string, { error: "negative" });
    await worker.take(); // the third runs

    const page = await openDashboard(p, "#/batches");
    const row = page.locator(`#batches-body tr[data-id="${id}"]`);
    await row.locator("td", { hasText: "1 completed · 1 failed · 1 running · 0 queued" }).waitFor();
    expect(await row.locator("td").nth(1).textContent()).toBe("nightly");
    expect(await row.locator(".status").textContent()).toBe("FINALIZED");
    expect(await row.locator("progress").getAttribute("value")).toBe("2");
    expect(await row.locator("progress").getAttribute("max")).toBe("3");
    expect(await row.locator(".batch-progress").textContent()).toContain("2/3");
    const draftRow = page.locator(`#batches-body tr[data-id="${draft}"]`);
    expect(await draftRow.locator(".status").textContent()).toBe("DRAFT");
    // Newest first.
    expect(await page.locator("#batches-body tr").first().getAttribute("data-id")).toBe(id);
    expect(await page.locator('.tabs a[aria-current="page"]').textContent()).toBe("Batches");

    await row.locator("a").click();
    await page.locator("#batch-id", { hasText: id }).waitFor();
    const requests = page.locator("#batch-requests-body tr");
    await requests.nth(2).waitFor();
    expect(await requests.locator(".status").allTextContents()).toEqual([
      "COMPLETED",
      "FAILED",
      "IN_PROGRESS",
    ]);
    expect(await requests.nth(1).locator("td").last().textContent()).toBe("negative");
    expect(await page.locator('.tabs a[aria-current="page"]').textContent()).toBe("Batches");

    // A request links to its job: the same id, in the job view.
    await requests.nth(0).locator("a").click();
    await page.locator("#job-id", { hasText: first?.id as string }).waitFor();
    await page.locator("#job-facts dd", { hasText: "COMPLETED" }).first().waitFor();

    // A DRAFT batch's requests have no job yet, so no link.
    await page.goto(`${p.url}/#/batches/${draft}`);
    await page.locator("#batch-requests-body .status", { hasText: "DRAFT" }).waitFor();
    expect(await page.locator("#batch-requests-body a").count()).toBe(0);
  });

  it("says when there are no batches, and when a batch is unknown", async () => {
    const p = await startPlatform({ longPollMs: 60_000 });
    const page = await openDashboard(p, "#/batches");
    await page.locator("#batches-empty").waitFor({ state: "visible" });
    await page.goto(`${p.url}/#/batches/batch_nope`);
    await page.locator("#batch-missing").waitFor({ state: "visible" });
  });
});
