import { CliError } from "./errors.js";

const CTRL_C = "\u0003";
const CTRL_D = "\u0004";
const BACKSPACE = new Set(["\u007f", "\b"]);

/**
 * Asks on stderr and reads a line from a TTY without echoing it (for secrets). Raw mode lets us
 * see each key: Enter ends, Backspace edits, Ctrl-C and Ctrl-D cancel.
 */
export function promptHidden(
  question: string,
  stdin: NodeJS.ReadStream,
  stderr: NodeJS.WriteStream,
): Promise<string> {
  return new Promise((resolve, reject) => {
    let value = "";
    const finish = (error?: Error) => {
      stdin.off("data", onData);
      stdin.setRawMode(false);
      stdin.pause();
      stderr.write("\n");
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of chunk.toString()) {
        if (ch === CTRL_C || ch === CTRL_D) return finish(new CliError("Cancelled"));
        if (ch === "\r" || ch === "\n") return finish();
        if (BACKSPACE.has(ch)) value = value.slice(0, -1);
        else value += ch;
      }
    };
    // Raw mode before the question: once the question shows, nothing typed is echoed.
    stdin.setRawMode(true);
    stderr.write(question);
    stdin.setEncoding("utf8");
    stdin.on("data", onData);
    stdin.resume();
  });
}

/** The first line of a piped stdin (without its line ending); stops reading there. */
export function readFirstLine(stdin: NodeJS.ReadStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = "";
    const done = (line: string) => {
      stdin.off("data", onData);
      stdin.off("end", onEnd);
      stdin.off("error", reject);
      stdin.pause();
      resolve(line.replace(/\r$/, ""));
    };
    const onData = (chunk: Buffer | string) => {
      buffered += chunk.toString();
      const newline = buffered.indexOf("\n");
      if (newline !== -1) done(buffered.slice(0, newline));
    };
    const onEnd = () => done(buffered);
    stdin.setEncoding("utf8");
    stdin.on("data", onData);
    stdin.on("end", onEnd);
    stdin.on("error", reject);
  });
}
