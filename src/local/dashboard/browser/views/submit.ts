/** The submit form: a JSON object sent to the endpoint's `/run` or `/runsync`. */
import { byId } from "../dom.js";
import { lock } from "../lock.js";
import { model } from "../model.js";
import { api, json, publicUrl, Unauthorized } from "../platform.js";

type ParsedInput = { value: object; error?: undefined } | { value?: undefined; error: string };

/** The handler contract wants a JSON object; the platform checks the same again. */
export function readInput(): ParsedInput {
  const text = byId<HTMLTextAreaElement>("submit-input").value;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { error: `Not valid JSON: ${(error as Error).message}` };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { error: 'The input must be a JSON object, like {"prompt": "hi"}.' };
  }
  return { value };
}

export function showInputError(message: string | undefined): void {
  byId("submit-error").textContent = message || "";
  byId("submit-input").setAttribute("aria-invalid", message ? "true" : "false");
}

export async function submitJob(event: SubmitEvent): Promise<void> {
  event.preventDefault();
  const input = readInput();
  showInputError(input.error);
  if (input.error !== undefined) {
    byId("submit-input").focus();
    return;
  }
  const form = byId<HTMLFormElement>("submit-form");
  const mode = new FormData(form).get("mode") === "runsync" ? "runsync" : "run";
  const status = byId("submit-status");
  const button = byId<HTMLButtonElement>("submit-button");
  button.disabled = true;
  status.textContent = mode === "runsync" ? "Waiting for the result…" : "Submitting…";
  try {
    const res = await api(publicUrl(model.endpointId, `/${mode}`), {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ input: input.value }),
    });
    const body = await json(res);
    if (!res.ok || body.id === undefined) {
      status.textContent = "";
      showInputError(`The platform refused the job: ${body.error}`);
      return;
    }
    status.textContent = `Submitted job ${body.id} (${body.status}).`;
    location.hash = `#/jobs/${encodeURIComponent(body.id)}`;
  } catch (error) {
    if (error instanceof Unauthorized) return lock();
    status.textContent = "Could not reach the platform.";
  } finally {
    button.disabled = false;
  }
}
