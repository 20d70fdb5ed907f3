/**
 * A dispatcher in front of undici's `Agent` that opens new sockets only a few at a time, as the
 * server answers on them, and lets requests queue for sockets it has answered on.
 *
 * Why: a server's accept queue can be tiny (Python's socketserver listens with a backlog of 5). A
 * burst of connects beyond it loses SYNs, or the final ACK of the handshake (the client then
 * believes the socket is open and sends its request into it), and the kernel retries only after 1,
 * 3, 7 … s. undici binds a request to the socket it opens for it, so a worker's result could wait
 * seconds on such a socket while sockets opened earlier were free again within a millisecond.
 *
 * Two rules, with `newSockets` below the accept queue:
 * - At most `newSockets` sockets are connecting or open without an answer yet; further connects
 *   wait for one of them to be answered (or to close). So this process alone never overflows the
 *   server's accept queue, however small a burst of requests asks for sockets.
 * - Requests in flight ≤ answered sockets + `newSockets`; the others wait here, not bound to any
 *   socket, and start when a request ends, on the socket it freed. undici hands a request to an
 *   idle socket before it opens one, so only a few requests ever ride a socket not answered on.
 * A socket counts as answered once it has read a byte (a response, or a TLS handshake). The set of
 * sockets still grows to the Agent's bound in a few round trips when load needs it.
 */
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";
import type { buildConnector, Dispatcher } from "undici";

/** undici's header record (its `IncomingHttpHeaders`, not exported from the main entry). */
type Headers = Record<string, string | string[] | undefined>;

/** The part of undici's dispatcher interface the package's requests use. */
export type Dispatch = Pick<Dispatcher, "dispatch">;

type Queued = [Dispatcher.DispatchOptions, Dispatcher.DispatchHandler];

export class PacedDispatcher implements Dispatch {
  private readonly agent: Dispatcher;
  /** Connects under way. */
  private connecting = 0;
  /** Open sockets that have not read a byte yet. */
  private readonly unanswered = new Set<Socket>();
  private answered = 0;
  private readonly waitingConnects: Array<(error?: Error) => void> = [];
  private inFlight = 0;
  private readonly queue: Queued[] = [];
  private startScheduled = false;
  private destroyed = false;

  /**
   * @param newSockets most sockets connecting or unanswered at once, and most requests in flight
   * beyond the answered sockets.
   * @param makeAgent builds the Agent around the connector wrapper it is given (so each socket
   * undici opens is paced and seen here).
   */
  constructor(
    private readonly newSockets: number,
    makeAgent: (
      pace: (connect: buildConnector.connector) => buildConnector.connector,
    ) => Dispatcher,
  ) {
    this.agent = makeAgent((connect) => (options, callback) => {
      const go = (error?: Error) => {
        if (error) return callback(error, null);
        this.connecting++;
        connect(options, (...args) => {
          this.connecting--;
          if (args[1]) this.opened(args[1]);
          else this.nextConnects();
          callback(...args);
        });
      };
      if (this.newSocketsBusy() < this.newSockets) go();
      else this.waitingConnects.push(go);
    });
  }

  /**
   * Starts the request now or queues it until a request ends. A request aborted while queued ends
   * when its turn comes: `onRequestStart` is called then, and the caller aborts there.
   */
  dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    if (this.queue.length === 0 && this.mayStart()) this.start(options, handler);
    else this.queue.push([options, handler]);
    return true;
  }

  destroy(): Promise<void> {
    this.destroyed = true;
    const closed = new Error("the dispatcher was destroyed");
    for (const go of this.waitingConnects.splice(0)) go(closed);
    return this.agent.destroy();
  }

  /** Called once per request, when it ends either way. */
  ended(): void {
    this.inFlight--;
    this.countAnswered();
    if (this.queue.length === 0 || this.startScheduled) return;
    // undici frees the socket of a request that ended only in a `setImmediate` after this call;
    // a request started sooner would not find it idle and would open a new socket. This runs
    // after that: the microtask queues the immediate behind undici's.
    this.startScheduled = true;
    queueMicrotask(() =>
      setImmediate(() => {
        this.startScheduled = false;
        this.startQueued();
      }),
    );
  }

  private newSocketsBusy(): number {
    return this.connecting + this.unanswered.size;
  }

  private mayStart(): boolean {
    return !this.destroyed && this.inFlight < this.answered + this.newSockets;
  }

  private start(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): void {
    this.inFlight++;
    this.agent.dispatch(options, new Released(handler, this));
  }

  private startQueued(): void {
    while (this.queue.length > 0 && this.mayStart()) {
      const [options, handler] = this.queue.shift() as Queued;
      this.start(options, handler);
    }
  }

  /** Moves sockets that have read a byte to the answered count, and lets waiting connects go. */
  private countAnswered(): void {
    if (this.unanswered.size === 0) return;
    for (const socket of this.unanswered) {
      if (socket.bytesRead > 0) {
        this.unanswered.delete(socket);
        this.answered++;
      }
    }
    this.nextConnects();
  }

  private nextConnects(): void {
    while (this.waitingConnects.length > 0 && this.newSocketsBusy() < this.newSockets) {
      (this.waitingConnects.shift() as () => void)();
    }
  }

  private opened(socket: Socket): void {
    if (socket.bytesRead > 0) this.answered++;
    else this.unanswered.add(socket);
    socket.once("close", () => {
      if (this.unanswered.delete(socket)) this.nextConnects();
      else this.answered--;
    });
  }
}

/** Forwards undici's callbacks to the caller's handler and tells the dispatcher when it ends. */
class Released implements Dispatcher.DispatchHandler {
  constructor(
    private readonly handler: Dispatcher.DispatchHandler,
    private readonly paced: PacedDispatcher,
  ) {}

  onRequestStart(controller: Dispatcher.DispatchController, context: unknown): void {
    this.handler.onRequestStart?.(controller, context);
  }

  onRequestUpgrade(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Headers,
    socket: Duplex,
  ): void {
    this.handler.onRequestUpgrade?.(controller, statusCode, headers, socket);
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Headers,
    statusMessage?: string,
  ): void {
    this.handler.onResponseStart?.(controller, statusCode, headers, statusMessage);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.handler.onResponseData?.(controller, chunk);
  }

  onResponseEnd(controller: Dispatcher.DispatchController, trailers: Headers): void {
    this.paced.ended();
    this.handler.onResponseEnd?.(controller, trailers);
  }

  onResponseError(controller: Dispatcher.DispatchController, error: Error): void {
    this.paced.ended();
    this.handler.onResponseError?.(controller, error);
  }
}
