/**
 * ANSI styling, decided once per stream. Colour only on a TTY, never with `NO_COLOR` (any
 * non-empty value, per no-color.org), and `FORCE_COLOR` (other than `0`/`false`) forces it on for
 * pipes, e.g. CI logs that render ANSI.
 */
export interface ColorEnv {
  isTTY: boolean;
  env: Readonly<Record<string, string | undefined>>;
}

export function shouldColor({ isTTY, env }: ColorEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== "0" && force !== "false";
  return isTTY;
}

export interface Styles {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

const sgr = (open: number, close: number) => (text: string) => `\x1b[${open}m${text}\x1b[${close}m`;
const identity = (text: string) => text;

export function styles(enabled: boolean): Styles {
  if (!enabled) {
    return {
      bold: identity,
      dim: identity,
      red: identity,
      green: identity,
      yellow: identity,
      cyan: identity,
    };
  }
  return {
    bold: sgr(1, 22),
    dim: sgr(2, 22),
    red: sgr(31, 39),
    green: sgr(32, 39),
    yellow: sgr(33, 39),
    cyan: sgr(36, 39),
  };
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escapes is the point
const ANSI = /\x1b\[[0-9;]*m/g;

/** The printed width of a string: ANSI escapes take no columns. */
export function visibleWidth(text: string): number {
  return text.replace(ANSI, "").length;
}
