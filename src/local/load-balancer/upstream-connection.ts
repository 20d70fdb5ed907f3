import { connect, type Socket } from "node:net";
import { ResponseParser, type ResponseSink, UpstreamProtocolError } from "./upstream-parser.js";

/** Who hears how one request on a connection went. */
export interface UpstreamExchange extends ResponseSink {
  /**
   * The connection failed before the response was complete: an error code (`ECONNREFUSED`), or
   * what was wrong with the worker's bytes. Called at most once, and never after `onEnd`.
   */
  onError(reason: string): void;
}

/** What a connection tells the pool that owns it. */
export interface ConnectionOwner {
  /** The exchange is over and the connection can carry another request. */
  reusable(connection: UpstreamConnection): void;
  /** The socket is closed. */
  closed(connection: UpstreamConnection): void;
}

/**
 * One keep-alive connection to a worker's app port, carrying one request at a time (no
 * pipelining). Its socket's listeners are attached once, for its whole life, and route to the
 * current exchange: bytes or a close while idle make the connection stale, and it is destroyed
 * rather than reused.
 */
export class UpstreamConnection {
  /** When it last became idle (`Date.now()`), for the pool's idle sweep. */
  idleSince = 0;
  /** How long it may stay idle, from the server's `Keep-Alive: timeout` hint when shorter. */
  idleLimitMs = 0;
  readonly #owner: ConnectionOwner;
  readonly #socket: Socket;
  readonly #parser = new ResponseParser();
  /** Who hears the response: cleared once it is complete or failed. */
  #exchange: UpstreamExchange | undefined;
  /** Whose request the connection carries, until it is reusable again or destroyed. */
  #holder: UpstreamExchange | undefined;
  #requestSent = false;
  #responseDone = false;
  #chunked = false;
  #closed = false;
  /**
   * The parser's sink, made once per connection: forwards to the current exchange and notes when
   * the response is complete. The connection is reused only after the parser has seen the whole
   * read (nothing may follow the response), see `#data`.
   */
  readonly #sink: ResponseSink = {
    onHead: (status, reason, raw, length) => this.#exchange?.onHead(status, reason, raw, length),
    onBody: (chunk) => this.#exchange?.onBody(chunk),
    onEnd: () => {
      const exchange = this.#exchange;
      this.#responseDone = true;
      this.#exchange = undefined;
      exchange?.onEnd();
    },
  };

  constructor(owner: ConnectionOwner, port: number) {
    this.#owner = owner;
    this.#socket = connect({ host: "127.0.0.1", port, noDelay: true });
    this.#socket.on("data", (chunk: Buffer) => this.#data(chunk));
    this.#socket.on("end", () => this.#end());
    this.#socket.on("error", (e: NodeJS.ErrnoException) => this.#fail(e.code ?? e.message));
    this.#socket.on("close", () => {
      this.#fail("ECONNRESET");
      this.#gone();
    });
  }

  /** The server's idle timeout hint (`Keep-Alive: timeout=N`) of the last response, in seconds. */
  get keepAliveTimeout(): number | undefined {
    return this.#parser.keepAliveTimeout;
  }

  /** Starts an exchange: the response to the request about to be written goes to `exchange`. */
  begin(exchange: UpstreamExchange, headRequest: boolean): void {
    this.#exchange = exchange;
    this.#holder = exchange;
    // The last exchange may have paused it for a slow client in the read that completed it.
    if (this.#socket.isPaused()) this.#socket.resume();
    this.#requestSent = false;
    this.#responseDone = false;
    this.#chunked = false;
    this.#parser.start(this.#sink, headRequest);
  }

  /** Writes a whole request, head and body, in one write. */
  sendWhole(request: Buffer): void {
    this.#socket.write(request);
    this.#requestSent = true;
  }

  /** Writes a request's head; its body follows with `write` and `end`, chunk-framed if `chunked`. */
  sendHead(head: string, chunked: boolean): void {
    this.#chunked = chunked;
    this.#socket.write(head, "latin1");
  }

  /** Writes a piece of the request body; false when the socket's buffer is full (wait for drain). */
  write(chunk: Buffer): boolean {
    if (!this.#chunked) return this.#socket.write(chunk);
    this.#socket.cork();
    this.#socket.write(`${chunk.length.toString(16)}\r\n`, "latin1");
    this.#socket.write(chunk);
    const room = this.#socket.write("\r\n", "latin1");
    this.#socket.uncork();
    return room;
  }

  /** The request body is complete. */
  end(): void {
    if (this.#chunked) this.#socket.write("0\r\n\r\n", "latin1");
    this.#requestSent = true;
    if (this.#responseDone) this.#afterResponse();
  }

  /** Calls `listener` once the socket can take more of the request body. */
  onceDrain(listener: () => void): void {
    this.#socket.once("drain", listener);
  }

  /** Stops reading the response until `resume` (the client is slower than the worker). */
  pause(): void {
    this.#socket.pause();
  }

  /** Reads the response again, if the connection still carries `exchange`'s. */
  resume(exchange: UpstreamExchange): void {
    if (this.#exchange === exchange) this.#socket.resume();
  }

  /**
   * `exchange` gives up (its client went away, or it failed): the connection is destroyed if it
   * still carries that exchange's request or response, and left alone if it has moved on.
   */
  abandon(exchange: UpstreamExchange): void {
    if (this.#holder === exchange) this.destroy();
  }

  /** Ends the connection now; its exchange, if any, hears nothing more. */
  destroy(): void {
    this.#exchange = undefined;
    this.#holder = undefined;
    this.#parser.stop();
    this.#socket.destroy();
    this.#gone();
  }

  /** Hands an unused connection back: it was acquired for an exchange that ended first. */
  putBack(): void {
    this.#owner.reusable(this);
  }

  #data(chunk: Buffer): void {
    if (this.#exchange === undefined && !this.#responseDone) {
      // Bytes nobody asked for, on an idle connection: it is not safe to reuse.
      this.destroy();
      return;
    }
    try {
      this.#parser.feed(chunk);
    } catch (e) {
      this.#fail(e instanceof UpstreamProtocolError ? e.message : String(e));
      this.destroy();
      return;
    }
    if (this.#responseDone && this.#requestSent) this.#afterResponse();
  }

  #end(): void {
    if (this.#exchange === undefined) {
      // Closed by the server while idle (its keep-alive timeout) or after the response.
      this.destroy();
      return;
    }
    try {
      this.#parser.eof();
    } catch (e) {
      this.#fail(e instanceof UpstreamProtocolError ? e.message : String(e));
    }
    this.destroy();
  }

  #fail(reason: string): void {
    const exchange = this.#exchange;
    if (exchange === undefined) return;
    this.#exchange = undefined;
    this.#parser.stop();
    exchange.onError(reason);
  }

  /** Tells the pool at once, not on the socket's `close` a tick later: it must not be handed out. */
  #gone(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#owner.closed(this);
  }

  #afterResponse(): void {
    this.#responseDone = false;
    this.#holder = undefined;
    if (this.#parser.keepAlive && !this.#parser.extra && !this.#socket.destroyed) {
      this.#parser.stop();
      this.#owner.reusable(this);
    } else {
      this.destroy();
    }
  }
}
