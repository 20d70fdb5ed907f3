import { checkRequest } from "../rest/request-check.js";
import { type CallOptions, Resource } from "./resource.js";

/** `api.sshKeys`: the account's SSH public keys, injected into pods created with `startSsh`. */
export class SshKeys extends Resource {
  /** The registered keys, one `authorized_keys` line each. */
  async list(options?: CallOptions): Promise<string[]> {
    const res = await this.t.call(
      "GET /v2/account/ssh-keys",
      true,
      (c, signal) => c.GET("/v2/account/ssh-keys", { signal }),
      options,
    );
    return res.keys;
  }

  /**
   * Replaces the whole set (`[]` removes all); to add one, `list()`, append, `set()`. Affects pods
   * created afterwards. Returns the keys now registered.
   */
  async set(keys: string[], options?: CallOptions): Promise<string[]> {
    const body = checkRequest("UpdateSshKeysRequest", { keys }, "sshKeys.set() input");
    const res = await this.t.call(
      "PUT /v2/account/ssh-keys",
      true,
      (c, signal) => c.PUT("/v2/account/ssh-keys", { body, signal }),
      options,
    );
    return res.keys;
  }
}
