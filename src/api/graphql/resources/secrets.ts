import * as z from "zod";
import {
  MySecretsDocument,
  type MySecretsQuery,
  SecretCreateDocument,
  type SecretCreateMutation,
  SecretDeleteDocument,
} from "../../generated/graphql.js";
import type { OperationExecutor } from "../transport.js";
import { check, id, required } from "./shared.js";

/** A secret as listed (its value is never returned). */
export type Secret = NonNullable<MySecretsQuery["myself"]>["secrets"][number];
/** What `createSecret` answers with. */
export type CreatedSecret = NonNullable<SecretCreateMutation["secretCreate"]>;

export interface CreateSecretInput {
  /** Referenced from templates and endpoints as `{{ RUNPOD_SECRET_<name> }}`. */
  name: string;
  value: string;
  description?: string;
}

export async function createSecret(
  t: OperationExecutor,
  input: CreateSecretInput,
): Promise<CreatedSecret> {
  const parsed = check(
    z
      .object({
        name: z.string().min(1, "name is required"),
        value: z.string().min(1, "value is required"),
        description: z.string().optional(),
      })
      .strict(),
    input,
    "createSecret",
  );
  const data = await t.execute(SecretCreateDocument, { input: parsed });
  return required(data.secretCreate, "secretCreate");
}

export async function deleteSecret(t: OperationExecutor, secretId: string): Promise<void> {
  const input = check(z.object({ id: id("secretId") }), { id: secretId }, "deleteSecret");
  await t.execute(SecretDeleteDocument, input);
}

export async function getSecrets(t: OperationExecutor): Promise<Secret[]> {
  return (await t.execute(MySecretsDocument, {})).myself?.secrets ?? [];
}
