import * as z from "zod";
import {
  DeleteRegistryAuthDocument,
  MyRegistryCredsDocument,
  type MyRegistryCredsQuery,
  SaveRegistryAuthDocument,
  UpdateRegistryAuthDocument,
} from "../../generated/graphql.js";
import type { OperationExecutor } from "../transport.js";
import { check, compact, id, required } from "./shared.js";

/** Saved credentials for a private container registry (the password is never returned). */
export type ContainerRegistryAuth = NonNullable<
  NonNullable<NonNullable<MyRegistryCredsQuery["myself"]>["containerRegistryCreds"]>[number]
>;

export interface CreateContainerRegistryAuthInput {
  /** A name to refer to these credentials by. */
  name: string;
  username: string;
  password: string;
}

export interface UpdateContainerRegistryAuthInput {
  username: string;
  password: string;
}

const nonEmpty = (what: string) => z.string().min(1, `${what} is required`);

export async function createContainerRegistryAuth(
  t: OperationExecutor,
  input: CreateContainerRegistryAuthInput,
): Promise<ContainerRegistryAuth> {
  const parsed = check(
    z
      .object({
        name: nonEmpty("name"),
        username: nonEmpty("username"),
        password: nonEmpty("password"),
      })
      .strict(),
    input,
    "createContainerRegistryAuth",
  );
  const data = await t.execute(SaveRegistryAuthDocument, { input: parsed });
  return required(data.saveRegistryAuth, "saveRegistryAuth");
}

export async function updateContainerRegistryAuth(
  t: OperationExecutor,
  registryAuthId: string,
  input: UpdateContainerRegistryAuthInput,
): Promise<ContainerRegistryAuth> {
  const parsed = check(
    z
      .object({
        id: id("registryAuthId"),
        username: nonEmpty("username"),
        password: nonEmpty("password"),
      })
      .strict(),
    { id: registryAuthId, ...input },
    "updateContainerRegistryAuth",
  );
  // Setting the same credentials twice leaves the same state, so a lost answer may be retried.
  const data = await t.execute(UpdateRegistryAuthDocument, { input: parsed }, { idempotent: true });
  return required(data.updateRegistryAuth, "updateRegistryAuth");
}

export async function deleteContainerRegistryAuth(
  t: OperationExecutor,
  registryAuthId: string,
): Promise<void> {
  const input = check(
    z.object({ registryAuthId: id("registryAuthId") }),
    { registryAuthId },
    "deleteContainerRegistryAuth",
  );
  await t.execute(DeleteRegistryAuthDocument, input);
}

export async function getContainerRegistryAuths(
  t: OperationExecutor,
): Promise<ContainerRegistryAuth[]> {
  return compact((await t.execute(MyRegistryCredsDocument, {})).myself?.containerRegistryCreds);
}
