import { RunpodError } from "../../core/errors.js";

/**
 * Thrown by an OpenAI route function to answer the request with an OpenAI error: the job fails with
 * `{"message", "type", "code": status}`, and the platform answers with `status` and that object
 * (the local platform does; production's mapping of failed jobs is undocumented).
 */
export class OpenAIRouteError extends RunpodError {
  static override readonly kind: string = "OpenAIRouteError";
  /** The HTTP status the request should get, 400–599. */
  readonly status: number;
  /** OpenAI's error `type`, e.g. `invalid_request_error`. */
  readonly type: string;

  constructor(status: number, message: string, type = "invalid_request_error") {
    super(message);
    if (!Number.isInteger(status) || status < 400 || status > 599) {
      throw new RangeError(`OpenAIRouteError status must be an integer 400–599, not ${status}`);
    }
    this.status = status;
    this.type = type;
  }
}
