import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { CliError } from "../../errors.js";

/** One job input per line: a JSON object, as `endpoint run --input` takes it. */
export interface JsonlLine {
  /** 1-based, counting blank lines, as an editor shows it. */
  line: number;
  input: Record<string, unknown>;
}

/**
 * The inputs of a JSONL file, read line by line so a large file is never held whole. Blank lines
 * are skipped; any other line must be a JSON object, else a `CliError` names the file and line.
 */
export async function* readJsonl(path: string): AsyncGenerator<JsonlLine> {
  const stream = createReadStream(path, { encoding: "utf8" });
  const opened = new Promise<void>((resolve, reject) => {
    stream.once("open", () => resolve());
    stream.once("error", reject);
  });
  try {
    await opened;
  } catch (error) {
    throw new CliError(`cannot read ${path}: ${(error as Error).message}`);
  }
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  let line = 0;
  try {
    for await (const text of lines) {
      line++;
      if (text.trim() === "") continue;
      let input: unknown;
      try {
        input = JSON.parse(text);
      } catch (error) {
        throw lineError(path, line, `is not valid JSON (${(error as Error).message})`);
      }
      if (typeof input !== "object" || input === null || Array.isArray(input)) {
        throw lineError(
          path,
          line,
          "must be a JSON object: the job's input, as `run --input` takes it",
        );
      }
      yield { line, input: input as Record<string, unknown> };
    }
  } finally {
    lines.close();
    stream.destroy();
  }
}

function lineError(path: string, line: number, problem: string): CliError {
  return new CliError(
    `${path} line ${line} ${problem}`,
    'each line of the file is one job\'s input, a JSON object, e.g. {"prompt": "hello"}',
  );
}
