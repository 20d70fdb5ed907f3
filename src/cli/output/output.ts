import { type Styles, shouldColor, styles } from "./color.js";
import { type ProgressBar, progressBar } from "./progress-bar.js";
import { withSpinner } from "./spinner.js";
import { type Column, formatTable } from "./table.js";

export interface WritableLike {
  isTTY?: boolean;
  write(text: string): boolean;
}

export interface OutputOptions {
  stdout: WritableLike;
  stderr: WritableLike;
  env: Readonly<Record<string, string | undefined>>;
  /** `--json`: data goes to stdout as JSON, nothing else does. */
  json: boolean;
}

/**
 * Everything a command prints goes through here. Data goes to stdout (as a table or text, or as
 * JSON with `--json`); notes, spinners and errors go to stderr, so `runpod-ts … | jq` always gets
 * clean input.
 */
export class Output {
  readonly json: boolean;
  /** Styles for stdout; plain functions when colour is off. */
  readonly style: Styles;
  readonly #stdout: WritableLike;
  readonly #stderr: WritableLike;

  constructor({ stdout, stderr, env, json }: OutputOptions) {
    this.json = json;
    this.#stdout = stdout;
    this.#stderr = stderr;
    this.style = styles(shouldColor({ isTTY: stdout.isTTY === true, env }));
  }

  /** A line (or block) of human output on stdout. */
  print(text: string): void {
    this.#stdout.write(`${text}\n`);
  }

  /** A status message for the person at the terminal, on stderr. */
  note(text: string): void {
    this.#stderr.write(`${text}\n`);
  }

  /** Writes `value` as JSON with `--json`, else the human rendering. */
  data<T>(value: T, human: (value: T) => string): void {
    if (this.json) this.#stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    else this.print(human(value));
  }

  /** Rows as JSON with `--json`, else as an aligned table (or `empty` when there are none). */
  table<Row>(rows: readonly Row[], columns: readonly Column<Row>[], empty: string): void {
    this.data(rows, (r) =>
      r.length === 0 ? empty : formatTable(columns, r, (h) => this.style.bold(h)),
    );
  }

  /** A progress bar on stderr: drawn on a terminal, never with `--json`. */
  progress(): ProgressBar {
    return progressBar(this.#stderr, !this.json);
  }

  /** Runs `task` with a spinner on stderr: on a terminal, never with `--json`. */
  spin<T>(label: string, task: (update: (label: string) => void) => Promise<T>): Promise<T> {
    // With --json a program reads the output, often through a pty (`script`, CI runners) that
    // merges stderr into stdout: a redrawn frame there would break its JSON.
    if (this.json) return task(() => {});
    return withSpinner(this.#stderr, label, task);
  }
}
