import type { Command } from "commander";
import { RunpodError } from "../core/errors.js";

/** A failure the CLI itself detects, with what to do about it. Exit code 1. */
export class CliError extends RunpodError {
  static override readonly kind: string = "CliError";
  /** What the user can do about it, printed after the message. */
  readonly hint: string | undefined;
  constructor(message: string, hint?: string, options?: ErrorOptions) {
    super(message, options);
    this.hint = hint;
  }
}

/** Bad arguments or flag values: exit code 2, with the command's help. */
export class UsageError extends RunpodError {
  static override readonly kind: string = "UsageError";
  /** The command whose help explains the correct usage. */
  readonly command: Command;
  constructor(message: string, command: Command) {
    super(message);
    this.command = command;
  }
}

/**
 * A child process the command handed the terminal to (e.g. `ssh`) ended with this exit code; it
 * has already spoken for itself, so the CLI exits with the same code and prints nothing.
 */
export class ChildExit extends RunpodError {
  static override readonly kind: string = "ChildExit";
  readonly exitCode: number;
  constructor(command: string, exitCode: number) {
    super(`${command} exited with code ${exitCode}`);
    this.exitCode = exitCode;
  }
}
