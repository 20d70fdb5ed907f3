/** One headless Chromium (Debian's) per test file, driven with playwright-core. */
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll } from "vitest";

export const CHROMIUM_PATH = "/usr/bin/chromium";

/** `extraArgs` e.g. `--host-resolver-rules=MAP evil.test 127.0.0.1` for pages on other sites. */
export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      ...extraArgs,
    ],
  });
}

/** Launches before the file's tests and closes after them; read `.current` inside tests. */
export function useBrowser(extraArgs: readonly string[] = []): { current: Browser } {
  const holder = {} as { current: Browser };
  beforeAll(async () => {
    holder.current = await launchChromium(extraArgs);
  });
  afterAll(async () => {
    await holder.current?.close();
  });
  return holder;
}
