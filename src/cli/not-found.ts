import { NotFoundError } from "../core/api-errors.js";
import { CliError } from "./errors.js";

/**
 * Awaits a REST v2 call; its 404 becomes a one-line error that names what is missing and how to
 * find the right id, instead of the API's generic "not found".
 */
export async function orMissing<T>(call: Promise<T>, message: string, hint: string): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof NotFoundError) throw new CliError(message, hint, { cause: error });
    throw error;
  }
}
