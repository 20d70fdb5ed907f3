#!/usr/bin/env node
// Codegen gate: regenerates the typed documents into a temp file and fails when a document does
// not validate against graphql/schema.graphql (codegen exits non-zero) or when the committed
// src/api/generated/graphql.ts differs from what graphql/ produces; then the same for the REST v2
// types (src/api/generated/rest-v2.ts from openapi/). Fix either with `npm run codegen`.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
  generateRequestRules,
  generateRestTypes,
  restOutput,
  rulesOutput,
} from "./rest-codegen.mjs";

const root = resolve(import.meta.dirname, "..");
const committed = join(root, "src", "api", "generated", "graphql.ts");
const work = mkdtempSync(join(tmpdir(), "runpod-ts-codegen-"));
try {
  const fresh = join(work, "graphql.ts");
  try {
    execFileSync(
      join(root, "node_modules", ".bin", "graphql-codegen"),
      ["--config", "codegen.ts"],
      {
        cwd: root,
        env: { ...process.env, CODEGEN_OUT: fresh },
        stdio: ["ignore", "pipe", "pipe"],
        encoding: "utf8",
      },
    );
  } catch (error) {
    process.stderr.write(`${error.stdout ?? ""}${error.stderr ?? ""}`);
    throw new Error("graphql-codegen failed: a document does not validate against the schema");
  }
  if (readFileSync(fresh, "utf8") !== readFileSync(committed, "utf8")) {
    throw new Error(
      "src/api/generated/graphql.ts is stale: run `npm run codegen` and commit the result",
    );
  }
  if ((await generateRestTypes()) !== readFileSync(restOutput, "utf8")) {
    throw new Error(
      "src/api/generated/rest-v2.ts is stale: run `npm run codegen` and commit the result",
    );
  }
  if (generateRequestRules() !== readFileSync(rulesOutput, "utf8")) {
    throw new Error(
      "src/api/generated/rest-v2-requests.ts is stale: run `npm run codegen` and commit the result",
    );
  }
  console.log("codegen: up to date");
} finally {
  rmSync(work, { recursive: true, force: true });
}
