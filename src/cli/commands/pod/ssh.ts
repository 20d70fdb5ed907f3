import { spawn } from "node:child_process";
import { setTimeout as delay } from "node:timers/promises";
import * as z from "zod";
import type { RunpodApi } from "../../../api/client.js";
import { connectApi } from "../../api-client.js";
import type { CommandContext } from "../../context.js";
import { ChildExit, CliError } from "../../errors.js";
import { intFlag } from "../../flags.js";
import { DEFAULT_KEY_NAME, localKeyPairs, sshKeyDir } from "../../ssh/generate-key.js";
import { type SshTarget, shellCommand, sshArgs, sshReadiness } from "../../ssh/pod-ssh.js";
import { parseFlags } from "../../usage.js";
import { findPod, podIdArg } from "./find.js";

/** Between polls: a pod takes tens of seconds to start, so faster polling only costs requests. */
const POLL_INTERVAL_MS = 3000;

const flags = z.object({ print: z.boolean().default(false), timeout: intFlag(0) });

/** `runpod-ts pod ssh POD_ID [--print] [--timeout SECONDS]` */
export async function sshToPod(ctx: CommandContext): Promise<void> {
  const podId = podIdArg(ctx.args);
  const { print, timeout } = parseFlags(ctx, flags, ctx.options);
  const api = await connectApi(ctx);
  const target = await ctx.out.spin(`Waiting for pod ${podId}`, (update) =>
    waitForSsh(api, podId, timeout * 1000, update),
  );
  const identityFile = await defaultIdentity();
  const argv = sshArgs(target, identityFile);
  const command = shellCommand(["ssh", ...argv]);
  // With --json the caller is a program, which cannot take over a terminal: it gets the route.
  if (print || ctx.out.json) {
    ctx.out.data(
      { podId, ...target, identityFile: identityFile ?? null, command },
      (r) => r.command,
    );
    return;
  }
  if (target.via === "proxy") {
    ctx.out.note(
      "Connecting through Runpod's SSH proxy: an interactive shell only (no scp, sftp or port forwarding).",
    );
  }
  const code = await runSsh(argv);
  if (code !== 0) throw new ChildExit("ssh", code);
}

/** Polls the pod until SSH can reach it; fails at once when it never will, or at the deadline. */
async function waitForSsh(
  api: RunpodApi,
  podId: string,
  timeoutMs: number,
  update: (label: string) => void,
): Promise<SshTarget> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const readiness = sshReadiness(await findPod(api, podId));
    if (readiness.state === "ready") return readiness.target;
    if (readiness.state === "unavailable") {
      throw new CliError(`Cannot SSH into pod ${podId}: ${readiness.reason}`);
    }
    if (Date.now() >= deadline) {
      throw new CliError(
        `Gave up waiting for pod ${podId} (${readiness.reason})`,
        "try again later, or wait longer with --timeout SECONDS",
      );
    }
    update(`${readiness.reason}…`);
    await delay(POLL_INTERVAL_MS);
  }
}

/**
 * The private key `ssh add-key` generated under ~/.runpod/ssh/ ("runpod-ts" if there, else the
 * first pair by name); `undefined` lets ssh use its own configuration and default keys.
 */
async function defaultIdentity(): Promise<string | undefined> {
  const pairs = await localKeyPairs(sshKeyDir());
  return (pairs.find((p) => p.name === DEFAULT_KEY_NAME) ?? pairs[0])?.privatePath;
}

/**
 * Runs the system ssh on this terminal; resolves with its exit code. The process's own stdio, not
 * `ctx.io`: ssh needs the real terminal (raw mode, window size), which a stream wrapper cannot give.
 */
function runSsh(argv: readonly string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn("ssh", argv, { stdio: "inherit" });
    child.on("error", (error: NodeJS.ErrnoException) => {
      reject(
        error.code === "ENOENT"
          ? new CliError(
              "The ssh command is not installed",
              "install an OpenSSH client, or print the command with --print",
            )
          : error,
      );
    });
    child.on("close", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}
