import { runCli } from "./run.js";

// `runpod-ts … | head` closes stdout early: stop quietly, as Unix tools do, instead of crashing
// with an unhandled EPIPE.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

// The bin entry. Setting exitCode (not calling exit) lets stdout drain when it is a pipe.
process.exitCode = await runCli(process.argv, {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
});
