/** `api.graphql` forwards every method of the GraphQL client, which loads on first use. */
import { describe, expect, it } from "vitest";
import { RunpodApi } from "../../src/api/client.js";
import { GraphQLApi } from "../../src/api/graphql/client.js";
import { GRAPHQL_METHODS } from "../../src/api/graphql/lazy.js";

describe("api.graphql", () => {
  it("lists exactly the GraphQL client's methods", () => {
    const methods = Object.getOwnPropertyNames(GraphQLApi.prototype).filter(
      (name) => name !== "constructor" && name !== "url",
    );
    expect([...GRAPHQL_METHODS].sort()).toEqual(methods.sort());
    const api = new RunpodApi({ apiKey: "k", baseUrl: "http://127.0.0.1:9/" });
    for (const name of GRAPHQL_METHODS) expect(typeof api.graphql[name]).toBe("function");
    expect(api.graphql.url).toBe("http://127.0.0.1:9/graphql");
    expect(api.baseUrl).toBe("http://127.0.0.1:9/");
  });
});
