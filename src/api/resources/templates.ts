import { checkId, checkRequest } from "../rest/request-check.js";
import type { CreateTemplateRequest, Template, UpdateTemplateRequest } from "../types.js";
import { type CallOptions, Resource } from "./resource.js";

/** `api.templates`: your pod and serverless templates (`/v2/templates`). */
export class Templates extends Resource {
  /** Your templates (the public catalog is `api.catalog.templates()`). */
  async list(options?: CallOptions): Promise<Template[]> {
    const res = await this.t.call(
      "GET /v2/templates",
      true,
      (c, signal) => c.GET("/v2/templates", { signal }),
      options,
    );
    return res.templates;
  }

  /** One of your templates or a public one. @throws NotFoundError when there is none. */
  async get(id: string, options?: CallOptions): Promise<Template> {
    const templateId = checkId(id, "id", "templates.get() input");
    return this.t.call(
      "GET /v2/templates/{id}",
      true,
      (c, signal) => c.GET("/v2/templates/{id}", { params: { path: { id: templateId } }, signal }),
      options,
    );
  }

  /** Creates a template (`serverless: true` for endpoints). Never repeated after it may have been sent. */
  async create(input: CreateTemplateRequest, options?: CallOptions): Promise<Template> {
    const body = checkRequest("CreateTemplateRequest", input, "templates.create() input");
    return this.t.call(
      "POST /v2/templates",
      false,
      (c, signal) => c.POST("/v2/templates", { body, signal }),
      options,
    );
  }

  /** Changes the given fields only; pods and endpoints made from it keep their settings. */
  async update(id: string, patch: UpdateTemplateRequest, options?: CallOptions): Promise<Template> {
    const templateId = checkId(id, "id", "templates.update() input");
    const body = checkRequest("UpdateTemplateRequest", patch, "templates.update() input");
    return this.t.call(
      "PATCH /v2/templates/{id}",
      true,
      (c, signal) =>
        c.PATCH("/v2/templates/{id}", { params: { path: { id: templateId } }, body, signal }),
      options,
    );
  }

  /** Deletes a template by id. @throws BadRequestError while a pod or an endpoint uses it. */
  async delete(id: string, options?: CallOptions): Promise<void> {
    const templateId = checkId(id, "id", "templates.delete() input");
    await this.t.call(
      "DELETE /v2/templates/{id}",
      true,
      (c, signal) =>
        c.DELETE("/v2/templates/{id}", { params: { path: { id: templateId } }, signal }),
      options,
    );
  }
}
