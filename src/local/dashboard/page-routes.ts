import type { Context, Hono } from "hono";
import { route } from "../route.js";
import { DASHBOARD_CSS } from "./assets/dashboard-css.js";
import { DASHBOARD_HTML } from "./assets/dashboard-html.js";
import { dashboardScript } from "./dashboard-script.js";

/**
 * The page loads only its own script and stylesheet: a strict policy means job data (which a
 * worker controls) can never run as script, and no other site may frame the page's buttons.
 */
const SECURITY_HEADERS: Record<string, string> = {
  "Content-Security-Policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "X-Frame-Options": "DENY",
};

function asset(body: () => string | Promise<string>, type: string) {
  return async (c: Context) => {
    const text = await body();
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.header(name, value);
    c.header("Content-Type", `${type}; charset=utf-8`);
    c.header("Cache-Control", "no-cache");
    return c.body(text);
  };
}

/** `/` and the two assets it loads. */
export function pageRoutes(app: Hono): void {
  route(
    app,
    "/",
    ["GET"],
    asset(() => DASHBOARD_HTML, "text/html"),
  );
  route(
    app,
    "/_dashboard/assets/dashboard.css",
    ["GET"],
    asset(() => DASHBOARD_CSS, "text/css"),
  );
  route(app, "/_dashboard/assets/dashboard.js", ["GET"], asset(dashboardScript, "text/javascript"));
}
