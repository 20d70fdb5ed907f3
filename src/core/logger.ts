/** A minimal pluggable logger: pass `console`, pino, or anything with these four methods. */
export interface Logger {
  debug(message: string, ...meta: unknown[]): void;
  info(message: string, ...meta: unknown[]): void;
  warn(message: string, ...meta: unknown[]): void;
  error(message: string, ...meta: unknown[]): void;
}

export type LogLevel = "debug" | "info" | "warn" | "error" | "off";

const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3, off: 4 };
const noop = () => {};

/**
 * Wraps a sink with a level gate. Enabled methods are the sink's own functions bound to it (not
 * wrappers), so stack traces and console grouping stay intact.
 */
export function levelLogger(sink: Logger, level: LogLevel): Logger {
  const on = (l: Exclude<LogLevel, "off">) => ORDER[l] >= ORDER[level];
  return {
    debug: on("debug") ? sink.debug.bind(sink) : noop,
    info: on("info") ? sink.info.bind(sink) : noop,
    warn: on("warn") ? sink.warn.bind(sink) : noop,
    error: on("error") ? sink.error.bind(sink) : noop,
  };
}

/** Logs nothing: the default for library clients, which must not print on their own. */
export const silentLogger: Logger = { debug: noop, info: noop, warn: noop, error: noop };
