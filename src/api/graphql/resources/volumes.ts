import * as z from "zod";
import {
  CreateNetworkVolumeDocument,
  MyNetworkVolumesDocument,
  type MyNetworkVolumesQuery,
} from "../../generated/graphql.js";
import type { OperationExecutor } from "../transport.js";
import { check, compact, positiveInt, required } from "./shared.js";

/** A network volume: persistent storage in one data centre, attachable to pods and endpoints. */
export type NetworkVolume = NonNullable<
  NonNullable<NonNullable<MyNetworkVolumesQuery["myself"]>["networkVolumes"]>[number]
>;

export interface CreateNetworkVolumeInput {
  name: string;
  /** Size in GB, 1 to 4000 (runpodctl's limits). */
  size: number;
  /** Data-centre id, e.g. `"EU-RO-1"`. */
  dataCenterId: string;
}

export async function createNetworkVolume(
  t: OperationExecutor,
  input: CreateNetworkVolumeInput,
): Promise<NetworkVolume> {
  const parsed = check(
    z
      .object({
        name: z.string().min(1, "name is required"),
        size: positiveInt.max(4000),
        dataCenterId: z.string().min(1, "dataCenterId is required"),
      })
      .strict(),
    input,
    "createNetworkVolume",
  );
  const data = await t.execute(CreateNetworkVolumeDocument, { input: parsed });
  return required(data.createNetworkVolume, "createNetworkVolume");
}

export async function getNetworkVolumes(t: OperationExecutor): Promise<NetworkVolume[]> {
  return compact((await t.execute(MyNetworkVolumesDocument, {})).myself?.networkVolumes);
}
