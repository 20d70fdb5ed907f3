import { CommanderError } from "commander";
import type { CliIO } from "./context.js";
import { ChildExit, UsageError } from "./errors.js";
import { shouldColor, styles } from "./output/color.js";
import { describeError, errorDetails } from "./output/describe-error.js";
import { createProgram } from "./program.js";

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** Runs the CLI on `argv` (as `process.argv`) and returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const program = createProgram(io);
  try {
    await program.parseAsync(argv);
    return EXIT_OK;
  } catch (error) {
    const verbose = program.opts().verbose === true;
    const errStyle = styles(shouldColor({ isTTY: io.stderr.isTTY === true, env: io.env }));
    if (error instanceof CommanderError) {
      // Commander already printed its message (and the help); only the exit code is ours.
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version") {
        return EXIT_OK;
      }
      return EXIT_USAGE;
    }
    if (error instanceof ChildExit) return error.exitCode;
    if (error instanceof UsageError) {
      io.stderr.write(`${errStyle.red(`error: ${error.message}`)}\n\n`);
      error.command.outputHelp({ error: true });
      return EXIT_USAGE;
    }
    const { message, hint } = describeError(error);
    if (program.opts().json === true) {
      // Scripts that asked for JSON get the failure as JSON too, on stderr like any error.
      io.stderr.write(`${JSON.stringify({ error: errorJson(error, message, hint) })}\n`);
      return EXIT_FAILURE;
    }
    const line = hint === undefined ? `error: ${message}` : `error: ${message}; ${hint}`;
    io.stderr.write(`${errStyle.red(line)}\n`);
    if (verbose) io.stderr.write(`${errStyle.dim(errorDetails(error))}\n`);
    return EXIT_FAILURE;
  }
}

/** `{message, hint?, type, status?}`: the words a person would read, plus what a script branches on. */
function errorJson(error: unknown, message: string, hint: string | undefined) {
  const status = (error as { status?: unknown } | null)?.status;
  return {
    message,
    ...(hint === undefined ? {} : { hint }),
    type: error instanceof Error ? error.name : typeof error,
    ...(typeof status === "number" ? { status } : {}),
  };
}
