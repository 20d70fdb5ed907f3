import type { operations } from "../generated/rest-v2.js";
import { checkRequest } from "../rest/request-check.js";
import type { RestTransport } from "../rest/transport.js";

export type { CallOptions } from "../rest/transport.js";

/** The query parameters of an operation, as the document types them. */
export type QueryOf<Op extends keyof operations> = NonNullable<
  operations[Op]["parameters"]["query"]
>;

/** Time parameters may be given as a `Date`; the wire takes RFC 3339. */
export type WithDates<Q> = { [K in keyof Q]: Q[K] extends string | undefined ? Q[K] | Date : Q[K] };

/** One resource namespace of `RunpodApi` (`api.pods`, ...): a thin class over the transport. */
export abstract class Resource {
  /** @internal */
  protected readonly t: RestTransport;

  /** @internal built by `RunpodApi` */
  constructor(transport: RestTransport) {
    this.t = transport;
  }
}

/**
 * Checks an operation's query parameters against the document (unknown names, enums, ranges)
 * and turns `Date`s into RFC 3339 strings.
 */
export function checkQuery<Op extends keyof operations>(
  operationId: Op,
  query: object | undefined,
  what: string,
): QueryOf<Op> {
  const wire = Object.fromEntries(
    Object.entries(query ?? {}).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]),
  );
  return checkRequest(`query:${operationId}`, wire, what) as QueryOf<Op>;
}
