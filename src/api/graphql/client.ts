import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import * as endpoints from "./resources/endpoints.js";
import * as gpus from "./resources/gpus.js";
import * as pods from "./resources/pods.js";
import * as registry from "./resources/registry.js";
import * as secrets from "./resources/secrets.js";
import * as templates from "./resources/templates.js";
import * as user from "./resources/user.js";
import * as volumes from "./resources/volumes.js";
import {
  type ExecuteOptions,
  GraphQLTransport,
  type GraphQLTransportOptions,
  type Variables,
} from "./transport.js";

/** Per-call options of {@link GraphQLApi.request}. */
export type RequestOptions = ExecuteOptions;

/**
 * Runpod's GraphQL API (`api.graphql`), for what REST v2 lacks (secrets, user settings, spot bids)
 * until GraphQL retires in early 2027. Loaded on first use, so an app that never calls it never
 * loads graphql or graphql-request.
 *
 * Inputs are checked before anything is sent (`ValidationError`). Failures are typed:
 * `AuthenticationError` (no key, or HTTP 401), `GraphQLRequestError` (the server's `errors[]`),
 * `APIError` subclasses for other HTTP statuses, `ConnectionError`, `RequestTimeoutError`, and
 * `InvalidResponseError` for a body that is not a GraphQL result. Queries are retried on network
 * errors, timeouts, 429 and 5xx; mutations are not, except those that are safe to repeat
 * (`stopPod`, `updateUserSettings`, `updateEndpointTemplate`, `updateContainerRegistryAuth`).
 *
 * @example
 * const api = new RunpodApi({ apiKey: process.env.RUNPOD_API_KEY });
 * const secrets = await api.graphql.getSecrets();
 */
export class GraphQLApi {
  readonly #t: GraphQLTransport;

  /** Built by `RunpodApi`, which validated the options. */
  constructor(options: GraphQLTransportOptions) {
    this.#t = new GraphQLTransport(options);
  }

  /** The GraphQL URL requests go to. */
  get url(): string {
    return this.#t.url;
  }

  /**
   * Runs any GraphQL operation, typed by its document (e.g. one made with GraphQL Code Generator):
   * for operations this client does not wrap. Always pass values as `variables`, never in the
   * query text. Queries are retried; mutations only with `{ idempotent: true }`.
   */
  request<R, V extends Variables = Variables>(
    document: TypedDocumentNode<R, V> | string,
    variables?: V,
    options?: RequestOptions,
  ): Promise<R> {
    return this.#t.execute(document, variables, options);
  }

  // --- Account ---------------------------------------------------------------------------------

  /** The account: id, SSH public keys (`pubKey`) and network volumes. Python: `get_user`. */
  getUser(): Promise<user.User> {
    return user.getUser(this.#t);
  }

  /**
   * Replaces the account's SSH public keys. To add a key, append it to `getUser().pubKey`
   * (separated by a blank line) and send the result. Python: `update_user_settings`.
   */
  updateUserSettings(input: user.UpdateUserSettingsInput): Promise<user.UserSettings> {
    return user.updateUserSettings(this.#t, input);
  }

  // --- Catalogue -------------------------------------------------------------------------------

  /** Every GPU type: id, display name, memory. Python: `get_gpus`. */
  getGpus(): Promise<gpus.GpuSummary[]> {
    return gpus.getGpus(this.#t);
  }

  /**
   * One GPU type with prices and the lowest price for `gpuQuantity` GPUs (default 1);
   * `undefined` when the id is unknown (Python's `get_gpu` raises instead).
   */
  getGpu(gpuId: string, gpuQuantity?: number): Promise<gpus.GpuDetails | undefined> {
    return gpus.getGpu(this.#t, gpuId, gpuQuantity);
  }

  /** Every CPU type. */
  getCpuTypes(): Promise<gpus.CpuType[]> {
    return gpus.getCpuTypes(this.#t);
  }

  // --- Pods ------------------------------------------------------------------------------------

  /** Your pods. Python: `get_pods`. */
  getPods(): Promise<pods.Pod[]> {
    return pods.getPods(this.#t);
  }

  /** One pod, or `undefined` when there is none with this id. Python: `get_pod`. */
  getPod(podId: string): Promise<pods.Pod | undefined> {
    return pods.getPod(this.#t, podId);
  }

  /**
   * Deploys an on-demand pod: a GPU pod (`podFindAndDeployOnDemand`) when `gpuTypeId` is given,
   * else a CPU pod (`deployCpuPod`), as runpod-python's `create_pod` does, with its defaults and
   * checks (the GPU type must exist; a network volume sets the data centre). Not retried.
   */
  createPod(input: pods.CreatePodInput): Promise<pods.DeployedPod> {
    return pods.createPod(this.#t, input);
  }

  /** Deploys a spot (interruptible) GPU pod at `bidPerGpu` $/h per GPU. Not retried. */
  createSpotPod(input: pods.CreateSpotPodInput): Promise<pods.DeployedPod> {
    return pods.createSpotPod(this.#t, input);
  }

  /** Stops a pod (its `desiredStatus` becomes `EXITED`). Python: `stop_pod`. */
  stopPod(podId: string): Promise<pods.StoppedPod> {
    return pods.stopPod(this.#t, podId);
  }

  /**
   * Starts a stopped on-demand pod. `gpuCount` is required by the server for GPU pods (Python's
   * `resume_pod` always sends it); leave it out for CPU pods. Not retried.
   */
  resumePod(podId: string, gpuCount?: number): Promise<pods.DeployedPod> {
    return pods.resumePod(this.#t, podId, gpuCount);
  }

  /** Starts a stopped spot pod with a new bid (`podBidResume`). Not retried. */
  resumeSpotPod(podId: string, options: pods.ResumeSpotPodInput): Promise<pods.DeployedPod> {
    return pods.resumeSpotPod(this.#t, podId, options);
  }

  /**
   * Terminates a pod; its container disk is gone for good. Resolves once the server accepted the
   * request. Not retried. Python: `terminate_pod`.
   */
  terminatePod(podId: string): Promise<void> {
    return pods.terminatePod(this.#t, podId);
  }

  // --- Templates -------------------------------------------------------------------------------

  /** Creates a pod or serverless template. Python: `create_template`. Not retried. */
  createTemplate(input: templates.CreateTemplateInput): Promise<templates.Template> {
    return templates.createTemplate(this.#t, input);
  }

  /** Your templates. */
  getTemplates(): Promise<templates.Template[]> {
    return templates.getTemplates(this.#t);
  }

  /** One template by id, or `undefined`. */
  getTemplate(templateId: string): Promise<templates.Template | undefined> {
    return templates.getTemplate(this.#t, templateId);
  }

  /**
   * Deletes a template **by name** (the server's API takes the name, not the id). It must not be
   * in use; deletion can take a couple of minutes after its last use. Not retried.
   */
  deleteTemplate(templateName: string): Promise<void> {
    return templates.deleteTemplate(this.#t, templateName);
  }

  // --- Serverless endpoints --------------------------------------------------------------------

  /** Your serverless endpoints. Python: `get_endpoints`. */
  getEndpoints(): Promise<endpoints.Endpoint[]> {
    return endpoints.getEndpoints(this.#t);
  }

  /** One endpoint by id, or `undefined`. */
  getEndpoint(endpointId: string): Promise<endpoints.Endpoint | undefined> {
    return endpoints.getEndpoint(this.#t, endpointId);
  }

  /** Creates a serverless endpoint. Python: `create_endpoint`, with its defaults. Not retried. */
  createEndpoint(input: endpoints.CreateEndpointInput): Promise<endpoints.Endpoint> {
    return endpoints.createEndpoint(this.#t, input);
  }

  /**
   * Changes some settings of an endpoint and keeps the rest.
   *
   * The server's `saveEndpoint` replaces the **whole** endpoint when given an id: fields left out
   * are reset to server defaults. So this method reads the endpoint first (`getEndpoint`), merges
   * `changes` into every field it read back (name, template, GPUs, workers, scaler, timeouts,
   * locations, network volume, CUDA, FlashBoot, instance ids, model references, type) and sends
   * the merged endpoint. Settings the GraphQL API does not return (multi-region network volumes)
   * cannot be carried over. Not atomic: a change made by someone else between the read and the
   * write is overwritten. Not retried.
   * @throws NotFoundError when the endpoint does not exist.
   */
  updateEndpoint(
    endpointId: string,
    changes: endpoints.UpdateEndpointInput,
  ): Promise<endpoints.Endpoint> {
    return endpoints.updateEndpoint(this.#t, endpointId, changes);
  }

  /** Points an endpoint at another template. Python: `update_endpoint_template`. */
  updateEndpointTemplate(
    endpointId: string,
    templateId: string,
  ): Promise<endpoints.EndpointTemplateChange> {
    return endpoints.updateEndpointTemplate(this.#t, endpointId, templateId);
  }

  /**
   * Deletes an endpoint. The server requires `workersMin` and `workersMax` to be 0 first
   * (`updateEndpoint(id, { workersMin: 0, workersMax: 0 })`). Not retried.
   */
  deleteEndpoint(endpointId: string): Promise<void> {
    return endpoints.deleteEndpoint(this.#t, endpointId);
  }

  // --- Container registry credentials ----------------------------------------------------------

  /** Saves credentials for a private registry. Python: `create_container_registry_auth`. */
  createContainerRegistryAuth(
    input: registry.CreateContainerRegistryAuthInput,
  ): Promise<registry.ContainerRegistryAuth> {
    return registry.createContainerRegistryAuth(this.#t, input);
  }

  /** Replaces the username and password of saved credentials. Python: `update_container_registry_auth`. */
  updateContainerRegistryAuth(
    registryAuthId: string,
    input: registry.UpdateContainerRegistryAuthInput,
  ): Promise<registry.ContainerRegistryAuth> {
    return registry.updateContainerRegistryAuth(this.#t, registryAuthId, input);
  }

  /** Deletes saved registry credentials. Python: `delete_container_registry_auth`. Not retried. */
  deleteContainerRegistryAuth(registryAuthId: string): Promise<void> {
    return registry.deleteContainerRegistryAuth(this.#t, registryAuthId);
  }

  /** Your saved registry credentials (names and ids only). */
  getContainerRegistryAuths(): Promise<registry.ContainerRegistryAuth[]> {
    return registry.getContainerRegistryAuths(this.#t);
  }

  // --- Secrets ---------------------------------------------------------------------------------

  /** Creates a secret. Not retried. */
  createSecret(input: secrets.CreateSecretInput): Promise<secrets.CreatedSecret> {
    return secrets.createSecret(this.#t, input);
  }

  /** Deletes a secret by id. Not retried. */
  deleteSecret(secretId: string): Promise<void> {
    return secrets.deleteSecret(this.#t, secretId);
  }

  /** Your secrets (never their values). */
  getSecrets(): Promise<secrets.Secret[]> {
    return secrets.getSecrets(this.#t);
  }

  // --- Network volumes -------------------------------------------------------------------------

  /**
   * Creates a network volume. The GraphQL API has no update or delete for volumes (REST does).
   * Not retried.
   */
  createNetworkVolume(input: volumes.CreateNetworkVolumeInput): Promise<volumes.NetworkVolume> {
    return volumes.createNetworkVolume(this.#t, input);
  }

  /** Your network volumes. */
  getNetworkVolumes(): Promise<volumes.NetworkVolume[]> {
    return volumes.getNetworkVolumes(this.#t);
  }
}
