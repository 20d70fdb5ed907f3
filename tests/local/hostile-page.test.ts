/**
 * Web pages of other origins against an open local platform, in Debian's Chromium: what a browser
 * sends without asking anyone (`<img>`, a `no-cors` fetch, a form POST) must change nothing, and a
 * page that points its own name at 127.0.0.1 (DNS rebinding) must read nothing.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { LocalPlatform } from "../../src/local/index.js";
import { useBrowser } from "../helpers/browser.js";
import { client, startPlatform, workerFor } from "../helpers/local-platform.js";

// Both names lead to 127.0.0.1, as an attacker's DNS would make them. Chromium's own Private
// Network Access checks, which stop some of these requests in Chromium alone (not in Firefox or
// Safari), are off: the platform's defence is what is under test.
const browser = useBrowser([
  "--host-resolver-rules=MAP evil.test 127.0.0.1, MAP rebind.test 127.0.0.1",
  "--disable-features=BlockInsecurePrivateNetworkRequests,PrivateNetworkAccessSendPreflights,LocalNetworkAccessChecks",
]);
const PAGE = "<!doctype html><title>a page</title><body></body>";

/** The attacker's web server: the same empty page at every path. */
let pageServer: Server;
let pagePort: number;
beforeAll(async () => {
  pageServer = createServer((_req, res) =>
    res.writeHead(200, { "content-type": "text/html" }).end(PAGE),
  );
  await new Promise<void>((r) => pageServer.listen(0, "127.0.0.1", r));
  pagePort = (pageServer.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => pageServer.close(() => r())));

const contexts: BrowserContext[] = [];
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

async function openPage(url: string): Promise<Page> {
  const context = await browser.current.newContext();
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await page.goto(url);
  return page;
}

/**
 * A platform with one job in progress on worker w1 and cancelled (so a stop is pending for w1),
 * and one job waiting in the queue.
 */
async function platformWithState() {
  const p = await startPlatform({ longPollMs: 200 });
  const api = client(p);
  const w1 = workerFor(p, "w1");
  const running = (await api.post("/run", { input: { n: "running" } })).json.id as string;
  expect((await w1.take())?.id).toBe(running);
  expect((await api.post(`/cancel/${running}`)).status).toBe(200);
  const queued = (await api.post("/run", { input: { n: "queued" } })).json.id as string;
  return { p, w1, running, queued };
}

function stateOf(p: LocalPlatform) {
  return p
    .jobs()
    .map((j) => ({ id: j.id, status: j.status }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * Fires every request a page can send without permission at each target and waits until each
 * one has had its answer (image events, the opaque fetch settling, the form's frame loading).
 */
async function attack(page: Page, targets: string[]): Promise<void> {
  await page.evaluate(async (urls) => {
    let n = 0;
    const fresh = (url: string) => `${url}${url.includes("?") ? "&" : "?"}k=${n++}`;
    const img = (url: string) =>
      new Promise<void>((resolve) => {
        const image = new Image();
        image.onload = () => resolve();
        image.onerror = () => resolve();
        image.src = fresh(url);
      });
    const noCors = (url: string, init: RequestInit = {}) =>
      fetch(fresh(url), { mode: "no-cors", ...init }).then(
        () => undefined,
        () => undefined,
      );
    const form = (url: string) =>
      new Promise<void>((resolve) => {
        const name = `frame${n}`;
        const frame = document.createElement("iframe");
        frame.name = name;
        document.body.append(frame);
        const f = document.createElement("form");
        f.method = "POST";
        f.action = fresh(url);
        f.target = name;
        f.enctype = "text/plain";
        // The text/plain trick: the body reads `{"input":{"evil":"="}}`, valid JSON.
        const field = document.createElement("input");
        field.name = '{"input":{"evil":"';
        field.value = '"}}';
        f.append(field);
        document.body.append(f);
        f.submit();
        frame.addEventListener("load", () => resolve(), { once: true });
      });
    for (const url of urls) {
      await img(url);
      await noCors(url);
      await noCors(url, { method: "POST", body: '{"input":{"evil":true}}' });
      await form(url);
    }
  }, targets);
}

describe("a web page of another origin against an open local platform", () => {
  for (const [kind, pageUrl] of [
    ["another site", () => `http://evil.test:${pagePort}/`],
    ["another port of this machine", () => `http://127.0.0.1:${pagePort}/`],
  ] as const) {
    it(`from ${kind}: <img>, no-cors fetch and form POST against job-take, job-stop, run and cancel are all refused`, async () => {
      const { p, w1, running, queued } = await platformWithState();
      const before = stateOf(p);
      const page = await openPage(pageUrl());
      let sent = 0;
      const answers: number[] = [];
      page.on("request", (req) => {
        if (req.url().startsWith(p.url)) sent++;
      });
      page.on("response", (res) => {
        if (res.url().startsWith(p.url)) answers.push(res.status());
      });
      await attack(page, [
        `${p.endpointUrl}/job-take/w1`,
        `${p.endpointUrl}/job-stop/w1`,
        `${p.endpointUrl}/run`,
        `${p.endpointUrl}/cancel/${queued}`,
      ]);
      expect(sent).toBe(16);
      // Chromium blocks the images' JSON answers (ORB) before the test can see them; every other
      // answer is visible, and refused. The state below shows the images changed nothing either.
      expect(answers).toHaveLength(12);
      expect(new Set(answers)).toEqual(new Set([403]));
      // Nothing changed: no job added, taken or cancelled, and w1's stop is still pending.
      expect(stateOf(p)).toEqual(before);
      expect(p.jobs().find((j) => j.id === queued)?.status).toBe("IN_QUEUE");
      expect(await w1.stopPoll()).toEqual([running]);
    });
  }

  it("a page that points its own name at 127.0.0.1 (DNS rebinding) reads and takes nothing", async () => {
    const { p, queued } = await platformWithState();
    const before = stateOf(p);
    // The attacker's page, served under its own name on the platform's port: every request it
    // then sends to its own origin reaches the platform, same-origin for the browser.
    const origin = `http://rebind.test:${p.port}`;
    const context = await browser.current.newContext();
    contexts.push(context);
    await context.route(`${origin}/attack.html`, (route) =>
      route.fulfill({ status: 200, contentType: "text/html", body: PAGE }),
    );
    const page = await context.newPage();
    await page.goto(`${origin}/attack.html`);
    const answers = await page.evaluate(
      async (paths) =>
        Promise.all(
          paths.map(async ([method, path]) => {
            const res = await fetch(path, { method });
            return { path, status: res.status, body: await res.text() };
          }),
        ),
      [
        ["GET", `/v2/local/status/${queued}`],
        ["GET", "/v2/local/job-take/w2"],
        ["GET", "/_dashboard/api/state"],
        ["GET", "/"],
        ["POST", `/v2/local/cancel/${queued}`],
      ] as Array<[string, string]>,
    );
    for (const answer of answers) {
      expect(answer.status, answer.path).toBe(403);
      expect(answer.body).not.toContain("queued");
    }
    expect(stateOf(p)).toEqual(before);
  });
});
