import type { PlatformEvent } from "../events.js";
import type { LbRequestRecord } from "../load-balancer/snapshots.js";

/** How many of the load balancer's latest requests the dashboard keeps. */
const KEPT = 50;

/** The load balancer's recent requests, newest last, for the dashboard's list. */
export class RecentRequests {
  readonly #list: LbRequestRecord[] = [];

  record(event: PlatformEvent): void {
    if (event.type !== "lb-request") return;
    this.#list.push(event.request);
    if (this.#list.length > KEPT) this.#list.shift();
  }

  list(): LbRequestRecord[] {
    return [...this.#list];
  }
}
