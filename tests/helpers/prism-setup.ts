/**
 * Vitest global setup: one Prism mock of the REST v2 document for the whole run (`sharedPrism`).
 * It holds no state between requests, and each test file judges only its own exchanges.
 */
import type { TestProject } from "vitest/node";
import { startPrism } from "./prism.js";

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const prism = await startPrism();
  project.provide("prismUrl", prism.baseUrl);
  return () => prism.close();
}
