import { type DocumentNode, getOperationAST, parse } from "graphql";

/** What the transport needs to know about a document before sending it. */
export interface OperationInfo {
  name: string | undefined;
  type: "query" | "mutation" | "subscription";
}

const cache = new WeakMap<DocumentNode, OperationInfo>();

/** Name and type of the document's single operation; a mutation (never retried) when it cannot tell. */
export function operationInfo(document: DocumentNode | string): OperationInfo {
  const doc = typeof document === "string" ? parse(document) : document;
  const cached = cache.get(doc);
  if (cached) return cached;
  const op = getOperationAST(doc);
  const info: OperationInfo = { name: op?.name?.value, type: op?.operation ?? "mutation" };
  cache.set(doc, info);
  return info;
}
