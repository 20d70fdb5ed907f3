import { type DocumentNode, GraphQLError, getOperationAST, parse } from "graphql";
import { ValidationError } from "../../core/errors.js";

/** What the transport needs to know about a document before sending it. */
export interface OperationInfo {
  name: string | undefined;
  type: "query" | "mutation" | "subscription";
}

const cache = new WeakMap<DocumentNode, OperationInfo>();

/** Name and type of the document's single operation; a mutation (never retried) when it cannot tell. */
export function operationInfo(document: DocumentNode | string): OperationInfo {
  const doc = typeof document === "string" ? parseDocument(document) : document;
  const cached = cache.get(doc);
  if (cached) return cached;
  const op = getOperationAST(doc);
  const info: OperationInfo = { name: op?.name?.value, type: op?.operation ?? "mutation" };
  cache.set(doc, info);
  return info;
}

function parseDocument(source: string): DocumentNode {
  try {
    return parse(source);
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    throw new ValidationError("GraphQL document", [{ path: [], message: error.message }]);
  }
}
