import { type ConnectionOwner, UpstreamConnection } from "./upstream-connection.js";

export interface UpstreamPoolLimits {
  /** Most connections open to the worker at once; a request past it waits for one to free up. */
  maxSockets: number;
  /** Most idle connections kept; one more is closed when it frees up. */
  maxIdle: number;
  /**
   * An idle connection is closed after this long, or sooner when the server's
   * `Keep-Alive: timeout=N` hint says so (N s less 1 s). Below the shortest keep-alive timeout of
   * common servers (gunicorn's 2 s; Node, uvicorn and Apache keep 5 s), so that a request rarely
   * meets a connection the server is closing at that moment.
   */
  idleMs: number;
}

/**
 * Generous enough never to hold back a worker's concurrency in practice (§10.13 leaves that to the
 * worker), yet bounded.
 */
export const DEFAULT_UPSTREAM_LIMITS: UpstreamPoolLimits = {
  maxSockets: 1024,
  maxIdle: 128,
  idleMs: 1_000,
};

/**
 * The keep-alive connections to one worker's app port: the most recently used idle one is reused
 * first (it is the least likely to have been closed by the server), idle ones are closed by one
 * sweep timer rather than a timer each.
 */
export class UpstreamPool implements ConnectionOwner {
  readonly #port: number;
  readonly #limits: UpstreamPoolLimits;
  readonly #all = new Set<UpstreamConnection>();
  readonly #idle: UpstreamConnection[] = [];
  readonly #waiting: Array<(connection: UpstreamConnection) => void> = [];
  #sweep: NodeJS.Timeout | undefined;
  #destroyed = false;

  constructor(port: number, limits: UpstreamPoolLimits = DEFAULT_UPSTREAM_LIMITS) {
    this.#port = port;
    this.#limits = limits;
  }

  /** Connections open now, idle or busy. */
  get open(): number {
    return this.#all.size;
  }

  /** Idle connections kept now. */
  get idle(): number {
    return this.#idle.length;
  }

  /**
   * Calls `use` with a connection for one exchange: at once with an idle or a new one, or later,
   * when one frees up, if `maxSockets` are busy. One that comes after its exchange is over goes
   * back with `putBack`.
   */
  acquire(use: (connection: UpstreamConnection) => void): void {
    const idle = this.#idle.pop();
    if (idle !== undefined) use(idle);
    else if (this.#all.size < this.#limits.maxSockets) use(this.#open());
    else this.#waiting.push(use);
  }

  /** Closes every connection, idle or busy (their exchanges fail); later ones are not kept. */
  destroy(): void {
    this.#destroyed = true;
    clearInterval(this.#sweep);
    this.#sweep = undefined;
    this.#idle.length = 0;
    for (const connection of [...this.#all]) connection.destroy();
  }

  reusable(connection: UpstreamConnection): void {
    const waiter = this.#waiting.shift();
    if (waiter !== undefined) {
      waiter(connection);
      return;
    }
    const hint = connection.keepAliveTimeout;
    const limit =
      hint === undefined ? this.#limits.idleMs : Math.min(this.#limits.idleMs, hint * 1000 - 1000);
    if (this.#destroyed || limit <= 0 || this.#idle.length >= this.#limits.maxIdle) {
      connection.destroy();
      return;
    }
    connection.idleSince = Date.now();
    connection.idleLimitMs = limit;
    this.#idle.push(connection);
    this.#sweep ??= setInterval(() => this.#closeStale(), this.#limits.idleMs / 2).unref();
  }

  closed(connection: UpstreamConnection): void {
    this.#all.delete(connection);
    const at = this.#idle.indexOf(connection);
    if (at >= 0) this.#idle.splice(at, 1);
    // A slot is free: the first request waiting for one gets a new connection.
    const waiter = this.#waiting.shift();
    if (waiter !== undefined) waiter(this.#open());
  }

  #open(): UpstreamConnection {
    const connection = new UpstreamConnection(this, this.#port);
    this.#all.add(connection);
    return connection;
  }

  /** Closes the connections idle past their limit; the oldest are at the bottom of the stack. */
  #closeStale(): void {
    const now = Date.now();
    for (const connection of [...this.#idle]) {
      if (now - connection.idleSince >= connection.idleLimitMs) connection.destroy();
    }
    if (this.#idle.length === 0) {
      clearInterval(this.#sweep);
      this.#sweep = undefined;
    }
  }
}
