import * as z from "zod";
import {
  DeleteTemplateDocument,
  MyTemplatesDocument,
  PodTemplateDocument,
  SaveTemplateDocument,
  type TemplateFieldsFragment,
} from "../../generated/graphql.js";
import type { OperationExecutor } from "../transport.js";
import {
  check,
  compact,
  envList,
  envSchema,
  id,
  nonNegativeInt,
  portsSchema,
  required,
} from "./shared.js";

/** A pod or serverless template. */
export type Template = TemplateFieldsFragment;

/** Options of `createTemplate`; defaults are runpod-python's. */
export interface CreateTemplateInput {
  /** Unique among your templates. */
  name: string;
  imageName: string;
  /** Start command, sent as the template's `dockerArgs`. @default "" */
  dockerStartCmd?: string;
  /** @default 10 */
  containerDiskInGb?: number;
  /** @default 0 */
  volumeInGb?: number;
  volumeMountPath?: string;
  /** `"8888/http,22/tcp"` or `["8888/http", "22/tcp"]`. @default "" */
  ports?: string | string[];
  /** @default {} */
  env?: Record<string, string>;
  /** A template for serverless endpoints rather than pods. @default false */
  isServerless?: boolean;
  /** Registry credentials for a private image (see `createContainerRegistryAuth`). */
  registryAuthId?: string;
  /** @default "" */
  readme?: string;
}

const createTemplateSchema = z
  .object({
    name: z.string().min(1, "name is required"),
    imageName: z.string().min(1, "imageName is required"),
    dockerStartCmd: z.string().default(""),
    containerDiskInGb: nonNegativeInt.default(10),
    volumeInGb: nonNegativeInt.default(0),
    volumeMountPath: z.string().min(1).optional(),
    ports: portsSchema.default(""),
    env: envSchema.default({}),
    isServerless: z.boolean().default(false),
    registryAuthId: z.string().default(""),
    readme: z.string().default(""),
  })
  .strict();

export async function createTemplate(
  t: OperationExecutor,
  input: CreateTemplateInput,
): Promise<Template> {
  const p = check(createTemplateSchema, input, "createTemplate");
  const data = await t.execute(SaveTemplateDocument, {
    input: {
      name: p.name,
      imageName: p.imageName,
      dockerArgs: p.dockerStartCmd,
      containerDiskInGb: p.containerDiskInGb,
      volumeInGb: p.volumeInGb,
      ...(p.volumeMountPath === undefined ? {} : { volumeMountPath: p.volumeMountPath }),
      ports: p.ports,
      env: envList(p.env),
      isServerless: p.isServerless,
      containerRegistryAuthId: p.registryAuthId,
      // runpod-python's constants for a new private template.
      startSsh: true,
      isPublic: false,
      readme: p.readme,
    },
  });
  return required(data.saveTemplate, "saveTemplate");
}

export async function getTemplates(t: OperationExecutor): Promise<Template[]> {
  return compact((await t.execute(MyTemplatesDocument, {})).myself?.podTemplates);
}

export async function getTemplate(
  t: OperationExecutor,
  templateId: string,
): Promise<Template | undefined> {
  const input = check(z.object({ id: id("templateId") }), { id: templateId }, "getTemplate");
  return (await t.execute(PodTemplateDocument, input)).podTemplate ?? undefined;
}

export async function deleteTemplate(t: OperationExecutor, templateName: string): Promise<void> {
  const input = check(
    z.object({ templateName: id("templateName") }),
    { templateName },
    "deleteTemplate",
  );
  await t.execute(DeleteTemplateDocument, input);
}
