import type { Command } from "commander";
import { Output } from "./output/output.js";

/** The process's streams and environment, passed in so nothing reaches for globals. */
export interface CliIO {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
  env: Readonly<Record<string, string | undefined>>;
}

/** The options every command accepts (defined once, on the program). */
export interface GlobalOptions {
  profile: string | undefined;
  apiKey: string | undefined;
  json: boolean;
  verbose: boolean;
}

/** What an action receives: its command, parsed arguments, the globals and the output. */
export interface CommandContext {
  command: Command;
  /** Positional arguments, in declaration order, as commander parsed them. */
  args: readonly unknown[];
  /** The command's own options (not the globals). */
  options: Readonly<Record<string, unknown>>;
  globals: GlobalOptions;
  out: Output;
  io: CliIO;
}

export function globalOptions(command: Command): GlobalOptions {
  const all = command.optsWithGlobals<Record<string, unknown>>();
  const str = (v: unknown) => (typeof v === "string" ? v : undefined);
  return {
    profile: str(all.profile),
    apiKey: str(all.apiKey),
    json: all.json === true,
    verbose: all.verbose === true,
  };
}

export function createContext(command: Command, io: CliIO): CommandContext {
  const globals = globalOptions(command);
  return {
    command,
    args: command.processedArgs,
    options: command.opts(),
    globals,
    out: new Output({ stdout: io.stdout, stderr: io.stderr, env: io.env, json: globals.json }),
    io,
  };
}

/** Turns a context-taking function into a commander action bound to `io`. */
export type ActionFactory = (
  run: (ctx: CommandContext) => Promise<void>,
) => (...commanderArgs: unknown[]) => Promise<void>;

export function actionFactory(io: CliIO): ActionFactory {
  // Commander calls actions with (...args, options, command); the command is all we need.
  return (run) =>
    async (...commanderArgs) => {
      await run(createContext(commanderArgs.at(-1) as Command, io));
    };
}
