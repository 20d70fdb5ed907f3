import type { Context, Hono } from "hono";
import { HttpError, jsonError } from "./http-errors.js";

type Method = "GET" | "POST" | "PUT" | "DELETE";

/** Registers `path` for `methods`; any other method answers 405 with an `Allow` header. */
export function route(
  app: Hono,
  path: string,
  methods: readonly Method[],
  handler: (c: Context) => Promise<Response> | Response,
): void {
  app.on([...methods], path, handler);
  app.all(path, (c) => {
    c.header("Allow", methods.join(", "));
    return jsonError(c, 405, methodNotAllowed(c.req.method, path, methods));
  });
}

/** The 405 answer's message. */
export function methodNotAllowed(method: string, path: string, methods: readonly Method[]): string {
  return `method ${method} not allowed on ${path}; use ${methods.join(" or ")}`;
}

/** A path parameter the route pattern guarantees. */
export function param(c: Context, name: string): string {
  const value = c.req.param(name);
  if (value === undefined || value === "")
    throw new HttpError(400, `missing path parameter ${name}`);
  return value;
}
