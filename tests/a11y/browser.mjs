// Debian's headless Chromium through playwright-core, offline: the one way the browser
// checks (layout_check.mjs, chart_text_check.mjs) start it. Every request other than a
// local scheme is refused and no host name resolves, so a page cannot reach the network.

import { existsSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
export const CHROMIUM = process.env.PPRR_CHROMIUM || "/usr/bin/chromium";
export const LOCAL_SCHEMES = ["file:", "data:", "blob:", "about:"];

// A function that prints "<name>: <message>" and exits 2 (the check could not run).
export function failWith(name) {
  return (message) => {
    process.stderr.write(`${name}: ${message}\n`);
    process.exit(2);
  };
}

// Start the browser and one offline context of the given viewport: { browser, context }.
export async function offlineContext(fail, viewport) {
  if (!existsSync(CHROMIUM)) fail(`Chromium not found at ${CHROMIUM}; run: make a11y-deps`);
  let chromium;
  try {
    ({ chromium } = require("playwright-core"));
  } catch (err) {
    fail(`playwright-core is not installed (${err.code}); run: make a11y-deps`);
  }
  const browser = await chromium
    .launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--host-resolver-rules=MAP * ~NOTFOUND"],
    })
    .catch((err) => fail(`could not start Chromium (${CHROMIUM}): ${err.message.split("\n")[0]}`));
  const context = await browser.newContext({ viewport });
  await context.route("**/*", (route) =>
    LOCAL_SCHEMES.some((s) => route.request().url().startsWith(s))
      ? route.continue()
      : route.abort("blockedbyclient"),
  );
  return { browser, context };
}
