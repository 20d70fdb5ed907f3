import * as z from "zod";
import {
  CpuTypesDocument,
  type CpuTypesQuery,
  GpuTypeDocument,
  type GpuTypeQuery,
  GpuTypesDocument,
  type GpuTypesQuery,
} from "../../generated/graphql.js";
import type { OperationExecutor } from "../transport.js";
import { check, compact, id, positiveInt } from "./shared.js";

/** One GPU type of the catalogue: id (e.g. `"NVIDIA A100 80GB PCIe"`), name and memory. */
export type GpuSummary = NonNullable<NonNullable<GpuTypesQuery["gpuTypes"]>[number]>;
/** A GPU type with prices, availability flags and the lowest price for a GPU count. */
export type GpuDetails = NonNullable<NonNullable<GpuTypeQuery["gpuTypes"]>[number]>;
/** One CPU type of the catalogue. */
export type CpuType = NonNullable<NonNullable<CpuTypesQuery["cpuTypes"]>[number]>;

export async function getGpus(t: OperationExecutor): Promise<GpuSummary[]> {
  return compact((await t.execute(GpuTypesDocument, {})).gpuTypes);
}

const gpuSchema = z.object({ gpuId: id("gpuId"), gpuQuantity: positiveInt });

export async function getGpu(
  t: OperationExecutor,
  gpuId: string,
  gpuQuantity = 1,
): Promise<GpuDetails | undefined> {
  const input = check(gpuSchema, { gpuId, gpuQuantity }, "getGpu");
  const data = await t.execute(GpuTypeDocument, { id: input.gpuId, gpuCount: input.gpuQuantity });
  return compact(data.gpuTypes)[0];
}

export async function getCpuTypes(t: OperationExecutor): Promise<CpuType[]> {
  return compact((await t.execute(CpuTypesDocument, {})).cpuTypes);
}
