import { basicHandler } from "./handler-basic.js";
import { streamingHandler } from "./handler-streaming.js";
import {
  dockerfile,
  dockerignore,
  gitignore,
  type ProjectInfo,
  packageJson,
  readme,
  testInputJson,
  tsconfigJson,
} from "./project-files.js";

export type { ProjectInfo } from "./project-files.js";
export const TEMPLATES = ["basic", "streaming"] as const;

/** Every file of a new project, by relative path. Kept as TS strings so the bundle ships them. */
export function projectFiles(info: ProjectInfo): Record<string, string> {
  return {
    "package.json": packageJson(info),
    "tsconfig.json": tsconfigJson,
    "test_input.json": testInputJson(info),
    "src/handler.ts": info.template === "streaming" ? streamingHandler : basicHandler,
    Dockerfile: dockerfile,
    ".dockerignore": dockerignore,
    ".gitignore": gitignore,
    "README.md": readme(info),
  };
}
