import * as z from "zod";
import {
  MyselfDocument,
  type MyselfQuery,
  UpdateUserSettingsDocument,
  type UpdateUserSettingsMutation,
} from "../../generated/graphql.js";
import type { OperationExecutor } from "../transport.js";
import { check, required } from "./shared.js";

/** The account behind the API key: its id, SSH public keys and network volumes. */
export type User = NonNullable<MyselfQuery["myself"]>;
/** What `updateUserSettings` answers with. */
export type UserSettings = NonNullable<UpdateUserSettingsMutation["updateUserSettings"]>;

export interface UpdateUserSettingsInput {
  /**
   * Every authorised SSH public key, as one string (keys separated by a blank line). This
   * replaces the stored value: read `getUser().pubKey` first to add a key rather than replace.
   */
  pubKey: string;
}

export async function getUser(t: OperationExecutor): Promise<User> {
  const data = await t.execute(MyselfDocument, {});
  return required(data.myself, "myself");
}

const settingsSchema = z.object({ pubKey: z.string() });

export async function updateUserSettings(
  t: OperationExecutor,
  input: UpdateUserSettingsInput,
): Promise<UserSettings> {
  const parsed = check(settingsSchema, input, "updateUserSettings");
  // Setting a value twice leaves the same state, so a lost answer may be retried.
  const data = await t.execute(UpdateUserSettingsDocument, { input: parsed }, { idempotent: true });
  return required(data.updateUserSettings, "updateUserSettings");
}
