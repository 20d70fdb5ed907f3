// undici ships no types for its internal modules; this one exports the `Agent` class (see undici-agent.ts).
declare module "undici/lib/dispatcher/agent.js" {
  import type { Agent } from "undici";

  const AgentClass: typeof Agent;
  export default AgentClass;
}

// This one exports `buildConnector` (see undici-agent.ts).
declare module "undici/lib/core/connect.js" {
  import type { buildConnector } from "undici";

  const build: typeof buildConnector;
  export default build;
}
