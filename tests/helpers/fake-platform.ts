/**
 * A small fake of the worker-facing platform (§A.14) over real HTTP on 127.0.0.1, scriptable per
 * test: it records every request (headers, raw body), answers job-take from a queue (or 204 after
 * a short hold), job-stop with ids on demand, job-done with scripted statuses, and ping.
 */
import {
  createServer,
  type IncomingHttpHeaders,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";

export type Route =
  | "job-take"
  | "job-take-batch"
  | "job-stop"
  | "job-done"
  | "job-stream"
  | "ping"
  | "other";

export interface RecordedRequest {
  seq: number;
  method: string;
  /** Path without the query. */
  path: string;
  /** The raw query string, as sent. */
  query: string;
  route: Route;
  /** Lower-cased header names, as Node parses them. */
  headers: IncomingHttpHeaders;
  /** Header names as sent, in order, with their values. */
  rawHeaders: Array<[string, string]>;
  /** The body exactly as received (UTF-8). */
  body: string;
  bodyBytes: Buffer;
  /** The job id in job-done / job-stream paths. */
  jobId: string | undefined;
  /** The status the fake answered (set when it answered). */
  status?: number;
  /** `performance.now()` at arrival. */
  at: number;
  /** Resolves if the client hangs up before the fake answered (an aborted request). */
  hungUp: Promise<void>;
}

/** A scripted answer: a status, optionally with a `Retry-After` header. */
export type Answer = number | { status: number; retryAfter: string };

export interface FakePlatformOptions {
  /** How long job-take and job-stop hold an empty poll before 204. Default 150 ms. */
  holdMs?: number;
}

type Waiter = { match: (r: RecordedRequest) => boolean; resolve: (r: RecordedRequest) => void };
type Held = {
  count: number;
  batch: boolean;
  res: ServerResponse;
  timer: NodeJS.Timeout;
  record: RecordedRequest;
};

const ROUTES: Route[] = [
  "job-take-batch",
  "job-take",
  "job-stop",
  "job-done",
  "job-stream",
  "ping",
];

export class FakePlatform {
  readonly requests: RecordedRequest[] = [];
  /** Answers a job-done/job-stream request; default 200. Called with the request and how many earlier requests hit the same job and route. */
  respond: (req: RecordedRequest, attempt: number) => Answer | Promise<Answer> = () => 200;
  /** Overrides job-stop answers while it returns one; `undefined` falls back to the stop list. */
  stopOverride: (req: RecordedRequest) => { status: number; retryAfter?: string } | undefined =
    () => undefined;
  /** Overrides job-take answers while it returns one (e.g. 500s, garbage); `undefined` falls back to the queue. */
  takeOverride: (
    req: RecordedRequest,
  ) => { status: number; body?: string; type?: string; retryAfter?: string } | undefined = () =>
    undefined;
  /** Status of ping answers. */
  pingStatus = 200;
  private readonly queue: object[] = [];
  private readonly stops: string[] = [];
  private heldTakes: Held[] = [];
  private heldStops: Array<{ res: ServerResponse; timer: NodeJS.Timeout }> = [];
  private waiters: Waiter[] = [];
  private readonly holdMs: number;
  private seq = 0;

  private constructor(
    private readonly server: Server,
    readonly url: string,
    options: FakePlatformOptions,
  ) {
    this.holdMs = options.holdMs ?? 150;
  }

  static async start(options: FakePlatformOptions = {}): Promise<FakePlatform> {
    let fake: FakePlatform | undefined;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () =>
        fake?.handle(
          req.method ?? "GET",
          req.url ?? "/",
          req.headers,
          req.rawHeaders,
          Buffer.concat(chunks),
          res,
        ),
      );
    });
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    fake = new FakePlatform(server, `http://127.0.0.1:${port}`, options);
    return fake;
  }

  /** The environment a worker needs to talk to this fake (the Python trace's templates). */
  env(extra: Record<string, string> = {}): Record<string, string> {
    const base = `${this.url}/v2/fake-ep`;
    const gpu = "gpu=NVIDIA+H100+80GB+HBM3";
    return {
      RUNPOD_WEBHOOK_GET_JOB: `${base}/job-take/$ID?${gpu}`,
      RUNPOD_WEBHOOK_POST_OUTPUT: `${base}/job-done/$RUNPOD_POD_ID/$ID?${gpu}`,
      RUNPOD_WEBHOOK_POST_STREAM: `${base}/job-stream/$RUNPOD_POD_ID/$ID?${gpu}`,
      RUNPOD_WEBHOOK_PING: `${base}/ping/$RUNPOD_POD_ID`,
      RUNPOD_POD_ID: "fake-worker-1",
      RUNPOD_POD_HOSTNAME: "fake-worker-1-host",
      RUNPOD_AI_API_KEY: "fake-api-key",
      RUNPOD_PING_INTERVAL: "10000",
      ...extra,
    };
  }

  /** Queues jobs for job-take; a held poll is answered at once. */
  enqueue(...jobs: object[]): void {
    this.queue.push(...jobs);
    this.flushTakes();
  }

  /** Queues stop signals for job-stop; a held poll is answered at once. */
  stop(...ids: string[]): void {
    this.stops.push(...ids);
    const held = this.heldStops.shift();
    if (held) {
      clearTimeout(held.timer);
      this.answerStops(held.res);
    }
  }

  /** Resolves with the first request (already received or future; checked on arrival and when answered) that matches. */
  waitFor(match: (r: RecordedRequest) => boolean): Promise<RecordedRequest> {
    const found = this.requests.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  /** Resolves with the next request to arrive (a tick for polling a condition without sleeping). */
  next(): Promise<RecordedRequest> {
    const after = this.seq;
    return this.waitFor((r) => r.seq > after);
  }

  /** Waits, request by request, until `condition()` holds (the worker polls constantly). */
  async until(condition: () => boolean): Promise<void> {
    while (!condition()) await this.next();
  }

  /** Resolves when `n` requests match. */
  async waitForCount(
    match: (r: RecordedRequest) => boolean,
    n: number,
  ): Promise<RecordedRequest[]> {
    for (;;) {
      const all = this.requests.filter(match);
      if (all.length >= n) return all;
      await new Promise<RecordedRequest>((resolve) => this.waiters.push({ match, resolve }));
    }
  }

  of(route: Route): RecordedRequest[] {
    return this.requests.filter((r) => r.route === route);
  }

  /**
   * Answers every held job-take and job-stop with 204 now, as at the end of their hold: a worker
   * shutting down waits for its take in flight, and need not wait out the hold.
   */
  async release(): Promise<void> {
    for (const take of this.heldTakes) take.record.status = 204;
    const held = [...this.heldTakes.splice(0), ...this.heldStops.splice(0)];
    await Promise.all(
      held.map(
        ({ res, timer }) =>
          new Promise((resolve) => {
            clearTimeout(timer);
            // `close` follows the answer's last byte, or a hang-up.
            res.once("close", resolve);
            res.writeHead(204).end();
          }),
      ),
    );
  }

  /** Answers the held polls (`release`), then closes every connection. */
  async close(): Promise<void> {
    await this.release();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(
    method: string,
    rawUrl: string,
    headers: IncomingHttpHeaders,
    raw: string[],
    bodyBytes: Buffer,
    res: ServerResponse,
  ): void {
    const q = rawUrl.indexOf("?");
    const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
    const query = q < 0 ? "" : rawUrl.slice(q + 1);
    const route = ROUTES.find((r) => path.includes(`/${r}/`)) ?? "other";
    const rawHeaders: Array<[string, string]> = [];
    for (let i = 0; i < raw.length; i += 2)
      rawHeaders.push([raw[i] as string, raw[i + 1] as string]);
    const segments = path.split("/");
    const record: RecordedRequest = {
      seq: ++this.seq,
      method,
      path,
      query,
      route,
      headers,
      rawHeaders,
      body: bodyBytes.toString("utf8"),
      bodyBytes,
      jobId:
        route === "job-done" || route === "job-stream" ? segments[segments.length - 1] : undefined,
      at: performance.now(),
      hungUp: new Promise((resolve) =>
        res.on("close", () => {
          if (!res.writableFinished) resolve();
        }),
      ),
    };
    this.requests.push(record);
    const answer = (status: number, body = "", type = "application/json") => {
      record.status = status;
      if (status === 204 || body === "") res.writeHead(status).end();
      else res.writeHead(status, { "Content-Type": type }).end(body);
      // Waiters may be watching for the answer (`status`), not just the arrival.
      this.notify(record);
    };
    switch (route) {
      case "job-take":
      case "job-take-batch": {
        const override = this.takeOverride(record);
        if (override) {
          if (override.retryAfter) res.setHeader("Retry-After", override.retryAfter);
          answer(override.status, override.body ?? "", override.type);
          break;
        }
        const count =
          route === "job-take-batch"
            ? Number(new URLSearchParams(query).get("batch_size") ?? 1)
            : 1;
        const held: Held = {
          count,
          batch: route === "job-take-batch",
          res,
          record,
          timer: setTimeout(() => {
            this.heldTakes = this.heldTakes.filter((h) => h !== held);
            answer(204);
          }, this.holdMs),
        };
        res.on("close", () => {
          clearTimeout(held.timer);
          this.heldTakes = this.heldTakes.filter((h) => h !== held);
        });
        this.heldTakes.push(held);
        this.flushTakes();
        break;
      }
      case "job-stop": {
        const override = this.stopOverride(record);
        if (override) {
          if (override.retryAfter) res.setHeader("Retry-After", override.retryAfter);
          answer(override.status, "{}");
        } else if (this.stops.length > 0) this.answerStops(res, record);
        else {
          const held = {
            res,
            timer: setTimeout(() => {
              this.heldStops = this.heldStops.filter((h) => h !== held);
              answer(204);
            }, this.holdMs),
          };
          res.on("close", () => {
            clearTimeout(held.timer);
            this.heldStops = this.heldStops.filter((h) => h !== held);
          });
          this.heldStops.push(held);
        }
        break;
      }
      case "job-done":
      case "job-stream": {
        const attempt =
          this.requests.filter((r) => r.route === route && r.jobId === record.jobId).length - 1;
        void Promise.resolve(this.respond(record, attempt)).then((scripted) => {
          if (typeof scripted === "number") return answer(scripted, "{}");
          res.setHeader("Retry-After", scripted.retryAfter);
          answer(scripted.status, "{}");
        });
        break;
      }
      case "ping":
        answer(this.pingStatus, "{}");
        break;
      default:
        answer(404, "{}");
    }
    this.notify(record);
  }

  private flushTakes(): void {
    while (this.queue.length > 0 && this.heldTakes.length > 0) {
      const held = this.heldTakes.shift() as Held;
      clearTimeout(held.timer);
      const jobs = this.queue.splice(0, held.count);
      const body = held.batch ? JSON.stringify(jobs) : JSON.stringify(jobs[0]);
      held.record.status = 200;
      held.res.writeHead(200, { "Content-Type": "application/json" }).end(body);
    }
  }

  private answerStops(res: ServerResponse, record?: RecordedRequest): void {
    const ids = this.stops.splice(0);
    if (record) record.status = 200;
    res
      .writeHead(200, { "Content-Type": "application/json" })
      .end(JSON.stringify({ jobsToStop: ids }));
  }

  private notify(record: RecordedRequest): void {
    const pending = this.waiters;
    this.waiters = [];
    for (const w of pending) {
      if (w.match(record)) w.resolve(record);
      else this.waiters.push(w);
    }
  }
}
