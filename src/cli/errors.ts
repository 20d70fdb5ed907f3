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
