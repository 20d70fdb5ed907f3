/**
 * What a worker's handler takes and gives, as the app that calls its endpoint sees it. Types only:
 * the worker (`serverless`) and the endpoint client both use them, and neither imports the other.
 */
import type { Job } from "./job.js";

/** The input type a handler expects. */
export type HandlerInput<H> = H extends (job: Job<infer I>, ...rest: never[]) => unknown
  ? I
  : H extends (job: infer J, ...rest: never[]) => unknown
    ? J extends { input: infer I }
      ? I
      : unknown
    : never;

/** What a handler returns once awaited; strings and arrays are values, not streams. */
type Returned<H> = H extends (...args: never[]) => infer R ? Awaited<R> : never;

/** The chunk type of a streaming handler (generator or returned iterator); `never` otherwise. */
type StreamedChunk<R> = R extends string
  ? never
  : R extends ReadonlyArray<unknown>
    ? never
    : R extends AsyncIterable<infer C>
      ? C
      : R extends Iterator<infer C>
        ? C
        : never;

/**
 * What a job of this handler resolves to (`runSync()`, `job.output()`): the returned value, or
 * for a streaming handler the list of its chunks (all of them with `returnAggregateStream`, else
 * an empty list).
 */
export type HandlerOutput<H> = [StreamedChunk<Returned<H>>] extends [never]
  ? Returned<H>
  : StreamedChunk<Returned<H>>[];

/** What `job.stream()` yields for this handler: each chunk of a streaming one, else its output. */
export type HandlerChunk<H> = [StreamedChunk<Returned<H>>] extends [never]
  ? Returned<H>
  : StreamedChunk<Returned<H>>;
