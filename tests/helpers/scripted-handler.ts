/**
 * A protocol-worker handler whose behaviour the job's input picks, so one worker serves every
 * scenario of the dashboard tests and screenshots: stream chunks (optionally waiting for a gate),
 * hang until cancelled, fail with the worker's JSON error string (§A.4) after optional chunks, or
 * take a given time (so the latency chart has something to draw).
 */
import type { Handler } from "./protocol-worker.js";
import { untilAborted } from "./protocol-worker.js";

export const WORKER_ERROR = JSON.stringify({
  error_type: "<class 'ValueError'>",
  error_message: "prompt must not be empty",
  error_traceback:
    'Traceback (most recent call last):\n  File "/app/handler.py", line 12, in handler\n    raise ValueError("prompt must not be empty")\nValueError: prompt must not be empty\n',
  hostname: "local-host",
  worker_id: "w1",
  runpod_version: "1.12.0",
});

export interface ScriptedHandler {
  handler: Handler;
  /** Lets a `{"mode": "stream", "gate": true}` job go on after its first chunk. */
  openGate(): void;
  /** Resolves when a hanging job's handler was stopped by the platform. */
  stopped: Promise<unknown>;
}

export function scriptedHandler(): ScriptedHandler {
  let openGate: () => void = () => {};
  const gate = new Promise<void>((r) => {
    openGate = r;
  });
  let onStopped: (reason: unknown) => void = () => {};
  const stopped = new Promise<unknown>((r) => {
    onStopped = r;
  });
  const handler: Handler = async (job, ctx) => {
    const input = job.input as { mode?: string; gate?: boolean; words?: string[] };
    switch (input.mode) {
      case "stream": {
        const words = input.words ?? ["Hello", "from", "the", "worker"];
        await ctx.progress({ percent: 0 });
        for (const [i, word] of words.entries()) {
          await ctx.stream({ token: word });
          if (i === 0 && input.gate) await gate;
        }
        return { output: { text: words.join(" ") } };
      }
      case "hang":
        try {
          return await untilAborted(ctx.signal);
        } catch (reason) {
          onStopped(reason);
          throw reason;
        }
      case "fail":
        for (const word of input.words ?? []) await ctx.stream({ token: word });
        return { error: WORKER_ERROR };
      case "sleep": {
        const ms = (job.input as { ms?: number }).ms ?? 0;
        await new Promise((r) => setTimeout(r, ms));
        return { output: { sleptMs: ms } };
      }
      default:
        return { output: { echo: job.input } };
    }
  };
  return { handler, openGate, stopped };
}
