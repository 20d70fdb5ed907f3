import { parseRetryAfter } from "../core/api-errors.js";
import type { Logger } from "../core/logger.js";
import { retryDelay } from "../core/retry-policy.js";
import { sleep } from "../internal/sleep.js";
import type { WebhookPayload } from "../protocol/status.js";
import type { EventBus } from "./events.js";
import { PrivateAddressError, publicOnlyLookup } from "./private-address.js";
import { postWebhook } from "./webhook-post.js";

export interface WebhookSettings {
  attempts: number;
  /** The ceiling of the first retry's delay; it doubles per retry up to `MAX_RETRY_DELAY_MS`. */
  retryDelayMs: number;
  timeoutMs: number;
  /** Refuse receivers on loopback, private and link-local addresses (an open, exposed platform). */
  publicOnly: boolean;
}

/** Retries of one webhook wait at most this long, unless `retryDelayMs` itself is longer. */
const MAX_RETRY_DELAY_MS = 60_000;

/**
 * Delivers webhooks in the background (§B.5): POST JSON, any 2xx is success, otherwise retry up to
 * `attempts` times, after the package's retry policy's delay and never sooner than the receiver's
 * `Retry-After`. Deliveries never block the queue; `close()` aborts the ones in
 * flight and cancels pending retries.
 */
export class WebhookSender {
  readonly #inFlight = new Set<AbortController>();

  constructor(
    private readonly settings: WebhookSettings,
    private readonly events: EventBus,
    private readonly logger: Logger,
  ) {}

  send(payload: WebhookPayload): void {
    const controller = new AbortController();
    this.#inFlight.add(controller);
    void this.#deliver(payload, controller.signal).finally(() => this.#inFlight.delete(controller));
  }

  async #deliver(payload: WebhookPayload, signal: AbortSignal): Promise<void> {
    const body = JSON.stringify(payload);
    for (let attempt = 1; attempt <= this.settings.attempts; attempt++) {
      if (signal.aborted) return;
      let status: number | undefined;
      let retryAfter: string | undefined;
      // One controller per attempt, aborted by close() or by the attempt's timeout (written out
      // rather than AbortSignal.any, which early Node 20 releases lack).
      const attemptController = new AbortController();
      const abortAttempt = () => attemptController.abort();
      signal.addEventListener("abort", abortAttempt, { once: true });
      const timer = setTimeout(abortAttempt, this.settings.timeoutMs);
      timer.unref();
      try {
        ({ status, retryAfter } = await postWebhook(
          payload.webhook,
          body,
          attemptController.signal,
          this.settings.publicOnly ? publicOnlyLookup : undefined,
        ));
      } catch (error) {
        if (signal.aborted) return;
        if (error instanceof PrivateAddressError) {
          // Not worth retrying: the address will not change into a public one.
          this.logger.warn(
            `webhook for job ${payload.id} refused: ${error.message}; this platform is open to the network without an API key (allowPrivateWebhooks lets such receivers in)`,
          );
          this.events.emit({
            type: "webhook",
            id: payload.id,
            url: payload.webhook,
            attempt,
            ok: false,
          });
          return;
        }
        this.logger.warn(
          `webhook for job ${payload.id} failed (attempt ${attempt}): ${String(error)}`,
        );
      } finally {
        clearTimeout(timer);
        signal.removeEventListener("abort", abortAttempt);
      }
      const ok = status !== undefined && status >= 200 && status < 300;
      this.events.emit({
        type: "webhook",
        id: payload.id,
        url: payload.webhook,
        attempt,
        ok,
        ...(status === undefined ? {} : { status }),
      });
      if (ok) return;
      if (attempt === this.settings.attempts) {
        if (status !== undefined) {
          this.logger.warn(`webhook for job ${payload.id} answered ${status} (attempt ${attempt})`);
        }
        return;
      }
      const { retryDelayMs } = this.settings;
      const backoff = { baseMs: retryDelayMs, capMs: Math.max(retryDelayMs, MAX_RETRY_DELAY_MS) };
      const delay = retryDelay(attempt - 1, backoff, parseRetryAfter(retryAfter));
      if (status !== undefined) {
        this.logger.warn(
          `webhook for job ${payload.id} answered ${status} (attempt ${attempt}); retrying in ${delay} ms`,
        );
      }
      await sleep(delay, signal, { unref: true });
    }
  }

  close(): void {
    for (const c of this.#inFlight) c.abort();
    this.#inFlight.clear();
  }
}
