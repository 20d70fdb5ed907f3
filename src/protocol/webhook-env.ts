import { boolean, object, recordOf, string, tuple, validated } from "../core/checks.js";

/**
 * The environment that points a worker (ours or the Python SDK's, unmodified) at a platform (§A.1,
 * §A.14). Templates keep the `$ID` / `$RUNPOD_POD_ID` placeholders for the worker to substitute,
 * and carry a `?gpu=` query because the Python worker appends its own parameters with `&`.
 */
export interface WebhookEnvInit {
  /** Where the platform listens, without a trailing slash, e.g. `http://127.0.0.1:8000`. */
  baseUrl: string;
  endpointId: string;
  /** Becomes `RUNPOD_POD_ID`. */
  workerId: string;
  /** Becomes `RUNPOD_AI_API_KEY`; the Python heartbeat only starts when one is set. */
  apiKey: string;
  /** The `gpu` query value the templates carry. */
  gpu?: string;
}

export function webhookEnv(init: WebhookEnvInit): Record<string, string> {
  const base = `${init.baseUrl}/v2/${encodeURIComponent(init.endpointId)}`;
  const q = `?gpu=${encodeURIComponent(init.gpu ?? "local")}`;
  return {
    RUNPOD_WEBHOOK_GET_JOB: `${base}/job-take/$ID${q}`,
    RUNPOD_WEBHOOK_POST_OUTPUT: `${base}/job-done/$RUNPOD_POD_ID/$ID${q}`,
    RUNPOD_WEBHOOK_POST_STREAM: `${base}/job-stream/$RUNPOD_POD_ID/$ID${q}`,
    RUNPOD_WEBHOOK_PING: `${base}/ping/$RUNPOD_POD_ID${q}`,
    RUNPOD_POD_ID: init.workerId,
    RUNPOD_AI_API_KEY: init.apiKey,
  };
}

export interface FormatWorkerEnvOptions {
  /** Print the real `RUNPOD_AI_API_KEY` instead of a mask. Default `false`: keys stay off screens and logs. */
  revealApiKey?: boolean;
  /** Prefix each line with `export ` so it can be pasted into a POSIX shell. Default `true`. */
  exportPrefix?: boolean;
}

/*
 * Checked by hand, not with zod: `runpod-ts/serverless` exports this function, so it sits on the
 * worker's static import graph, where zod/mini alone would add ~11 MB of RSS and ~70 ms to every
 * cold start, time the user is billed for. Issue paths are argument indices, e.g. `[0, "KEY"]`.
 */
const formatArgs = tuple(
  recordOf(string),
  object({ revealApiKey: boolean, exportPrefix: boolean }),
);

/**
 * One `export NAME='value'` line per variable, single-quoted so the shell leaves `$ID` alone. The
 * API key is masked unless `revealApiKey` is set.
 */
export function formatWorkerEnv(
  env: Readonly<Record<string, string>>,
  options: FormatWorkerEnvOptions = {},
): string {
  validated(formatArgs, [env, options], "formatWorkerEnv arguments");
  const prefix = options.exportPrefix === false ? "" : "export ";
  return Object.entries(env)
    .map(([name, value]) => {
      const shown = name === "RUNPOD_AI_API_KEY" && !options.revealApiKey ? "<api key>" : value;
      return `${prefix}${name}='${shown.replaceAll("'", `'\\''`)}'`;
    })
    .join("\n");
}
