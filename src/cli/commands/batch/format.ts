import type { BatchSummary } from "../../../protocol/batch.js";
import type { Styles } from "../../output/color.js";
import { formatDetails } from "../../output/details.js";

/** `244/1000 done · 6 failed · 8 running`: what the progress bar and the summary say. */
export function progressText(s: BatchSummary): string {
  const queued = s.requestTotal - s.requestInProgress - s.requestCompleted - s.requestFailed;
  return `${s.requestCompleted} completed · ${s.requestFailed} failed · ${s.requestInProgress} running · ${queued} queued`;
}

export function batchDetails(s: BatchSummary, style: Styles): string {
  const state =
    s.status === "FINALIZED"
      ? style.green(s.status)
      : s.status === "DRAFT"
        ? style.yellow(s.status)
        : style.red(s.status);
  return formatDetails(
    [
      ["ID", s.id],
      ["Name", s.name],
      ["Status", state],
      ["Requests", `${s.requestTotal}: ${progressText(s)}`],
      ["Created", new Date(s.createdAt).toISOString()],
    ],
    style.bold,
  );
}
