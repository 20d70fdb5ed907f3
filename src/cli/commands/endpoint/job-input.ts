import { readFile } from "node:fs/promises";
import * as z from "zod";
import type { CommandContext } from "../../context.js";
import { CliError } from "../../errors.js";
import { parseFlags } from "../../usage.js";

/** A flag holding JSON text, parsed; invalid JSON is an issue naming the parser's complaint. */
export const jsonFlag = z.string().transform((text, ctx) => {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    ctx.issues.push({
      code: "custom",
      message: `is not valid JSON (${(error as Error).message})`,
      input: text,
    });
    return z.NEVER;
  }
});

const flags = z
  .object({ input: jsonFlag.optional(), inputFile: z.string().min(1).optional() })
  .refine((f) => (f.input === undefined) !== (f.inputFile === undefined), {
    message: "give the job's input with exactly one of --input '<json>' and --input-file PATH",
  });

/** The job input of `--input '<json>'` or `--input-file PATH` (exactly one of them). */
export async function readJobInput(ctx: CommandContext): Promise<unknown> {
  const f = parseFlags(ctx, flags, {
    input: ctx.options.input,
    inputFile: ctx.options.inputFile,
  });
  if (f.inputFile === undefined) return f.input;
  const text = await readFile(f.inputFile, "utf8");
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new CliError(
      `${f.inputFile} is not valid JSON (${(error as Error).message})`,
      "fix the file, or pass the input inline with --input '<json>'",
    );
  }
}
