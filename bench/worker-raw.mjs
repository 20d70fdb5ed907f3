// The machine's limit: a minimal loop of undici GET job-take + POST job-done, no SDK.
import { Agent, request } from "undici";

const base = process.env.BENCH_BASE;
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 1);
const sleepMs = Number(process.env.BENCH_SLEEP_MS ?? 0);
const agent = new Agent({ keepAliveTimeout: 30_000, connections: null });
const headers = { Authorization: "bench-key" };

async function loop() {
  for (;;) {
    const res = await request(`${base}/job-take/pod?gpu=x&job_in_progress=0`, {
      dispatcher: agent,
      headers,
    });
    const text = await res.body.text();
    if (res.statusCode !== 200) continue;
    const job = JSON.parse(text);
    if (sleepMs > 0) await new Promise((r) => setTimeout(r, sleepMs));
    const done = await request(`${base}/job-done/pod/${job.id}?gpu=x&isStream=false`, {
      method: "POST",
      dispatcher: agent,
      headers: { ...headers, "Content-Type": "application/x-www-form-urlencoded" },
      // The handler's end time, so the fake platform can time job end → job-done.
      body: JSON.stringify({ output: Date.now() }),
    });
    await done.body.text();
  }
}
for (let i = 0; i < concurrency; i++) void loop();
