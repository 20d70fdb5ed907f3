import { checkId, checkRequest } from "../rest/request-check.js";
import type {
  CreateDelegationRequest,
  CreateRegistryRequest,
  EcrDelegation,
  Registry,
} from "../types.js";
import { type CallOptions, Resource } from "./resource.js";

/** `api.registries.delegations`: AWS ECR repositories pulled without stored credentials (beta). */
export class Delegations extends Resource {
  /** Your ECR delegations. */
  async list(options?: CallOptions): Promise<EcrDelegation[]> {
    const res = await this.t.call(
      "GET /v2/registries/delegations",
      true,
      (c, signal) => c.GET("/v2/registries/delegations", { signal }),
      options,
    );
    return res.delegations;
  }

  /** Registers an ECR repository by its ARN (`resource`). Never repeated after it may have been sent. */
  async create(input: CreateDelegationRequest, options?: CallOptions): Promise<EcrDelegation> {
    const body = checkRequest(
      "CreateDelegationRequest",
      input,
      "registries.delegations.create() input",
    );
    return this.t.call(
      "POST /v2/registries/delegations",
      false,
      (c, signal) => c.POST("/v2/registries/delegations", { body, signal }),
      options,
    );
  }

  /** Revokes a delegation. */
  async revoke(id: string, options?: CallOptions): Promise<void> {
    const delegationId = checkId(id, "id", "registries.delegations.revoke() input");
    await this.t.call(
      "DELETE /v2/registries/delegations/{id}",
      true,
      (c, signal) =>
        c.DELETE("/v2/registries/delegations/{id}", {
          params: { path: { id: delegationId } },
          signal,
        }),
      options,
    );
  }
}

/** `api.registries`: credentials for private container registries (`/v2/registries`). */
export class Registries extends Resource {
  readonly delegations: Delegations = new Delegations(this.t);

  /** Your registry credentials (names and ids; the secrets are never returned). */
  async list(options?: CallOptions): Promise<Registry[]> {
    const res = await this.t.call(
      "GET /v2/registries",
      true,
      (c, signal) => c.GET("/v2/registries", { signal }),
      options,
    );
    return res.registries;
  }

  /** One registry credential. @throws NotFoundError when there is none. */
  async get(id: string, options?: CallOptions): Promise<Registry> {
    const registryId = checkId(id, "id", "registries.get() input");
    return this.t.call(
      "GET /v2/registries/{id}",
      true,
      (c, signal) => c.GET("/v2/registries/{id}", { params: { path: { id: registryId } }, signal }),
      options,
    );
  }

  /** Stores a username and password (write-only). Never repeated after it may have been sent. */
  async create(input: CreateRegistryRequest, options?: CallOptions): Promise<Registry> {
    const body = checkRequest("CreateRegistryRequest", input, "registries.create() input");
    return this.t.call(
      "POST /v2/registries",
      false,
      (c, signal) => c.POST("/v2/registries", { body, signal }),
      options,
    );
  }

  /** Deletes a credential. @throws BadRequestError while a pod uses it. */
  async delete(id: string, options?: CallOptions): Promise<void> {
    const registryId = checkId(id, "id", "registries.delete() input");
    await this.t.call(
      "DELETE /v2/registries/{id}",
      true,
      (c, signal) =>
        c.DELETE("/v2/registries/{id}", { params: { path: { id: registryId } }, signal }),
      options,
    );
  }
}
