/** Talking to the platform: the dashboard's data routes and the endpoint's public API. */

export const KEY_STORAGE = "runpod-ts-dashboard-key";

/** The platform refused the key (or none was given): the page asks for one. */
export class Unauthorized extends Error {}

function authHeaders(): Record<string, string> {
  const key = sessionStorage.getItem(KEY_STORAGE);
  return key ? { Authorization: `Bearer ${key}` } : {};
}

/** `fetch` with the key as a header (never in a URL); throws `Unauthorized` on a 401. */
export async function api(
  path: string,
  init: RequestInit & { headers?: Record<string, string> } = {},
): Promise<Response> {
  const headers = { ...authHeaders(), ...init.headers };
  const res = await fetch(path, { ...init, headers });
  if (res.status === 401) throw new Unauthorized();
  return res;
}

/** A public API answer: its fields, or `error` saying why there are none. */
export type ApiAnswer = { id?: string; status?: string; error?: string };

export async function json(res: Response): Promise<ApiAnswer> {
  const text = await res.text();
  try {
    return text === "" ? {} : (JSON.parse(text) as ApiAnswer);
  } catch {
    return { error: `the platform answered ${res.status} with a body that is not JSON` };
  }
}

export function publicUrl(endpointId: string, path: string): string {
  return `/v2/${encodeURIComponent(endpointId)}${path}`;
}
