/**
 * `npm run bench:openai`: a streamed chat completion through the local platform's OpenAI route,
 * read with the official `openai` client, against the same worker's tokens read with
 * `job.stream()` of our endpoint client (`POST /run` + `/stream`) in the same run. The worker
 * (built package, `openaiHandler`, its own process) yields a token every BENCH_INTERVAL_MS.
 * Rounds alternate between the two paths; medians of time to first token (from the call to the
 * first token with content) and of tokens/s (between the first and last token). Not a test:
 * numbers depend on the machine; the overhead is what compares.
 */
import { fork, spawn } from "node:child_process";
import { once } from "node:events";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import OpenAI from "openai";

// The client from the sources (Node build, as `runpod-ts/endpoint` resolves on Node), so type
// checking does not need a build. The sources read the version from a build-time define; tsx
// has none, so provide the global.
(globalThis as { __RUNPOD_TS_VERSION__?: string }).__RUNPOD_TS_VERSION__ = "bench";
const { Endpoint } = await import("../src/endpoint/node.js");
type Endpoint = InstanceType<typeof Endpoint>;

const TOKENS = 64;
const INTERVAL_MS = 10;
const WARMUP = 3;
const ROUNDS = 15;
const TARGET_OVERHEAD_MS = 5;

interface Round {
  ttft: number;
  tokensPerSecond: number;
}

/** Times the tokens of one stream: `tokens` yields each content delta as it arrives. */
async function timed(start: number, tokens: AsyncIterable<string>): Promise<Round> {
  let first = Number.NaN;
  let last = Number.NaN;
  let count = 0;
  for await (const token of tokens) {
    if (token === "") continue;
    last = performance.now();
    if (count === 0) first = last;
    count++;
  }
  if (count !== TOKENS) throw new Error(`expected ${TOKENS} tokens, got ${count}`);
  return { ttft: first - start, tokensPerSecond: ((count - 1) * 1000) / (last - first) };
}

const request = {
  model: "timer",
  messages: [{ role: "user" as const, content: "count" }],
  stream: true as const,
};

async function viaOpenAI(client: OpenAI): Promise<Round> {
  const start = performance.now();
  const stream = await client.chat.completions.create(request);
  return timed(
    start,
    (async function* () {
      for await (const chunk of stream) yield chunk.choices[0]?.delta.content ?? "";
    })(),
  );
}

/** The same job through the native API: the yielded SSE strings, parsed here. */
async function viaEndpoint(ep: Endpoint): Promise<Round> {
  const start = performance.now();
  const job = await ep.run({ openai_route: "/v1/chat/completions", openai_input: request });
  return timed(
    start,
    (async function* () {
      for await (const text of job.stream()) {
        for (const line of String(text).split("\n")) {
          if (!line.startsWith("data: ") || line === "data: [DONE]") continue;
          const chunk = JSON.parse(line.slice(6)) as {
            choices: Array<{ delta: { content?: string } }>;
          };
          yield chunk.choices[0]?.delta.content ?? "";
        }
      }
    })(),
  );
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

const server = fork(new URL("./local-server.ts", import.meta.url), {
  execArgv: ["--import", "tsx"],
});
const { url, workerEnv } = await new Promise<{ url: string; workerEnv: Record<string, string> }>(
  (resolve) => server.once("message", (m) => resolve((m as { ready: never }).ready)),
);
const worker = spawn(
  process.execPath,
  [fileURLToPath(new URL("./openai-worker.mjs", import.meta.url))],
  {
    env: {
      PATH: process.env.PATH ?? "",
      ...workerEnv,
      BENCH_TOKENS: String(TOKENS),
      BENCH_INTERVAL_MS: String(INTERVAL_MS),
    },
    stdio: ["ignore", "ignore", "inherit"],
  },
);

const endpointUrl = new URL(url);
const endpointId = endpointUrl.pathname.split("/").pop() as string;
const ep = new Endpoint(endpointId, { baseUrl: `${endpointUrl.origin}/v2`, apiKey: "local" });
const client = new OpenAI({ baseURL: ep.openaiBaseUrl, apiKey: "local", maxRetries: 0 });

console.log(`runpod-ts OpenAI route benchmark — ${new Date().toISOString()}`);
console.log(
  `node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);
console.log(`worker: openaiHandler (built package), ${TOKENS} tokens, one every ${INTERVAL_MS} ms`);

for (let i = 0; i < WARMUP; i++) {
  await viaOpenAI(client);
  await viaEndpoint(ep);
}
const openai: Round[] = [];
const direct: Round[] = [];
for (let i = 0; i < ROUNDS; i++) {
  // Alternating, so a change of load hits both paths alike.
  openai.push(await viaOpenAI(client));
  direct.push(await viaEndpoint(ep));
}

const row = (name: string, rounds: Round[]) =>
  `| ${name} | ${median(rounds.map((r) => r.ttft)).toFixed(2)} | ${median(rounds.map((r) => r.tokensPerSecond)).toFixed(1)} |`;
const overhead = median(openai.map((r) => r.ttft)) - median(direct.map((r) => r.ttft));
console.log(`\n${ROUNDS} rounds each, medians:\n`);
console.log("| path | time to first token ms | tokens/s |\n| --- | --- | --- |");
console.log(row("openai client → /openai/v1/chat/completions", openai));
console.log(row("Endpoint.run + job.stream() (same worker)", direct));
console.log(
  `\nTTFT overhead of the OpenAI route: ${overhead.toFixed(2)} ms (target ≤ ${TARGET_OVERHEAD_MS} ms: ${overhead <= TARGET_OVERHEAD_MS ? "met" : "NOT met"})`,
);
console.log(
  `load after: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);

const exited = once(worker, "exit");
worker.kill("SIGTERM");
await exited;
const closed = once(server, "exit");
server.send("close");
await closed;
