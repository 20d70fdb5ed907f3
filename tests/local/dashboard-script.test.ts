/**
 * The dashboard's script is TypeScript bundled into the platform: from source (these tests' own
 * `src/` imports) on first use, in the package at build time. Both must serve the same script,
 * and the package must not need esbuild to do it.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { LocalPlatform, LocalPlatformOptions } from "../../src/local/index.js";
import { createLocalPlatform as fromSource } from "../../src/local/index.js";

const dist = join(import.meta.dirname, "..", "..", "dist");
const platforms: LocalPlatform[] = [];
afterAll(() => Promise.all(platforms.map((p) => p.close())));

async function script(
  create: (o: LocalPlatformOptions) => Promise<LocalPlatform>,
): Promise<{ type: string | null; body: string }> {
  const p = await create({ port: 0 });
  platforms.push(p);
  const res = await fetch(`${p.url}/_dashboard/assets/dashboard.js`);
  expect(res.status).toBe(200);
  return { type: res.headers.get("content-type"), body: await res.text() };
}

describe("the dashboard script", () => {
  it("is served as JavaScript bundled from browser/main.ts, the same from source and from the build", async () => {
    const built = (await import(join(dist, "local", "index.js"))) as {
      createLocalPlatform: typeof fromSource;
    };
    const [source, packaged] = await Promise.all([
      script(fromSource),
      script(built.createLocalPlatform),
    ]);
    expect(source.type).toBe("text/javascript; charset=utf-8");
    // Bundled: one file with no import left, and TypeScript's annotations gone.
    expect(source.body).not.toMatch(/^import /m);
    expect(source.body).not.toContain("HTMLSelectElement");
    expect(source.body).toContain("/_dashboard/api/events");
    expect(packaged).toEqual(source);
  });

  it("is a string in the package: no built file loads esbuild", () => {
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
      );
    const code = files(dist).filter((f) => /\.(c?js)$/.test(f));
    expect(code.length).toBeGreaterThan(0);
    expect(code.filter((f) => readFileSync(f, "utf8").includes("esbuild"))).toEqual([]);
  });
});
