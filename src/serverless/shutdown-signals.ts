/**
 * SIGTERM and SIGINT start a graceful shutdown (stop fetching, finish and deliver every job); a
 * second SIGINT exits at once with 130. Returns a function that removes the handlers.
 */
import type { WorkerLog } from "./log.js";
import type { ProductionWorker } from "./worker.js";

export function shutdownOnSignals(
  worker: Pick<ProductionWorker, "shutdown">,
  log: WorkerLog,
): () => void {
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signal === "SIGINT" && ++interrupts > 1) {
      log.warn("Second SIGINT: exiting now.");
      process.exit(130);
    }
    log.info(`${signal} received. Shutting down.`);
    worker.shutdown(signal);
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
  return () => {
    process.off("SIGTERM", onSignal);
    process.off("SIGINT", onSignal);
  };
}
