/** The key form: shown when the platform refuses the page's key (or it has none yet). */
import { byId } from "./dom.js";
import { setConnection, stopPolling } from "./live.js";
import { KEY_STORAGE } from "./platform.js";

export function lock(message?: string): void {
  stopPolling();
  byId("main").hidden = true;
  byId("auth").hidden = false;
  setConnection("offline", "Locked");
  byId("auth-error").textContent =
    message || (sessionStorage.getItem(KEY_STORAGE) ? "That key was refused." : "");
  byId("api-key").focus();
}
