#!/usr/bin/env node
// Browser accessibility check of pprr pages: axe-core (WCAG 2.0/2.1/2.2 A and AA rules) in
// Debian's headless Chromium, driven by playwright-core. One browser for all pages.
//
// Usage: node tests/a11y/axe_check.mjs PAGE.html [PAGE.html ...]
// Prints one JSON object on stdout:
//   {"axe": "4.x", "browser": "...", "pages": [{"path", "violations": [...],
//    "incomplete": [...], "requests": [...], "errors": [...]}]}
// Every request that is not file:, data:, blob: or about: is blocked and listed in "requests",
// so a page that would load anything from the internet is caught in the browser too.
// Exit code: 0 when the check ran (whatever it found), 2 when it could not run.
//
// Environment: PPRR_CHROMIUM (default /usr/bin/chromium), PPRR_A11Y_TIMEOUT_MS (default 30000),
// PPRR_A11Y_CONCURRENCY (tabs checking pages at once, default 3).

import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
const LOCAL_SCHEMES = ["file:", "data:", "blob:", "about:"];
const CHROMIUM = process.env.PPRR_CHROMIUM || "/usr/bin/chromium";
const TIMEOUT = Number(process.env.PPRR_A11Y_TIMEOUT_MS || 30000);
const CONCURRENCY = Math.max(1, Number(process.env.PPRR_A11Y_CONCURRENCY || 3));

function fail(message) {
  process.stderr.write(`axe_check: ${message}\n`);
  process.exit(2);
}

function isLocal(url) {
  return LOCAL_SCHEMES.some((s) => url.startsWith(s));
}

function nodeSummary(node) {
  return {
    target: node.target.map((t) => (Array.isArray(t) ? t.join(" ") : String(t))).join(" >> "),
    html: node.html.length > 300 ? `${node.html.slice(0, 300)}...` : node.html,
    summary: node.failureSummary || "",
  };
}

function ruleSummary(rule) {
  return {
    id: rule.id,
    impact: rule.impact || null,
    help: rule.help,
    helpUrl: rule.helpUrl,
    tags: rule.tags.filter((t) => t.startsWith("wcag")),
    nodes: rule.nodes.map(nodeSummary),
  };
}

function newResult(file) {
  return { path: file, violations: [], incomplete: [], requests: [], errors: [], seconds: 0 };
}

// One tab per worker, reused from page to page (a new tab costs more than a navigation).
async function openTab(context, state) {
  const page = await context.newPage();
  page.on("request", (req) => {
    if (state.current && !isLocal(req.url())) state.current.requests.push(req.url());
  });
  page.on("websocket", (ws) => state.current?.requests.push(ws.url()));
  page.on("pageerror", (err) => state.current?.errors.push(`script error: ${err.message}`));
  return page;
}

async function checkPage(page, state, file, axeSource, axeOptions) {
  const result = newResult(file);
  const t0 = Date.now();
  state.current = result;
  try {
    await page.goto(pathToFileURL(file).href, { waitUntil: "load", timeout: TIMEOUT });
    await page.evaluate(axeSource);
    const axe = await page.evaluate((opts) => window.axe.run(document, opts), axeOptions);
    result.violations = axe.violations.map(ruleSummary);
    result.incomplete = axe.incomplete.map(ruleSummary);
  } catch (err) {
    result.errors.push(`could not check the page: ${err.message.split("\n")[0]}`);
  } finally {
    // leave the page before the next one so nothing it started is charged to the next page
    await page.goto("about:blank").catch(() => {});
    state.current = null;
  }
  result.requests = [...new Set(result.requests)];
  result.seconds = (Date.now() - t0) / 1000;
  return result;
}

async function main() {
  const files = process.argv.slice(2).map((f) => resolve(f));
  if (files.length === 0) fail("usage: node tests/a11y/axe_check.mjs PAGE.html [PAGE.html ...]");
  for (const f of files) if (!existsSync(f)) fail(`no such page: ${f}`);
  if (!existsSync(CHROMIUM)) fail(`Chromium not found at ${CHROMIUM}; run: make a11y-deps`);

  let chromium;
  let axePath;
  try {
    ({ chromium } = require("playwright-core"));
    axePath = require.resolve("axe-core/axe.min.js");
  } catch (err) {
    fail(`playwright-core or axe-core is not installed (${err.code}); run: make a11y-deps`);
  }
  const axeSource = readFileSync(axePath, "utf8");
  const axeVersion = require("axe-core/package.json").version;

  // playwright starts Chromium with a new empty profile (--user-data-dir) of its own and
  // removes it on close; it refuses a --user-data-dir argument.
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      // defence in depth: no host name resolves, so nothing can reach the network
      "--host-resolver-rules=MAP * ~NOTFOUND",
    ],
  }).catch((err) => {
    fail(`could not start Chromium (${CHROMIUM}): ${err.message.split("\n")[0]}`);
  });

  const pages = [];
  try {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      serviceWorkers: "block",
      offline: false,
    });
    await context.route("**/*", (route) =>
      isLocal(route.request().url()) ? route.continue() : route.abort("blockedbyclient"),
    );
    const axeOptions = { runOnly: { type: "tag", values: TAGS }, resultTypes: ["violations"] };
    // a few tabs at a time in the one browser; results keep the order of the arguments
    let next = 0;
    const worker = async () => {
      const state = { current: null };
      const page = await openTab(context, state);
      while (next < files.length) {
        const i = next++;
        pages[i] = await checkPage(page, state, files[i], axeSource, axeOptions);
      }
      await page.close();
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, files.length) }, worker));
    await context.close();
  } finally {
    const version = browser.version();
    await browser.close();
    process.stdout.write(`${JSON.stringify({ axe: axeVersion, browser: version, pages })}\n`);
  }
}

main().catch((err) => fail(err.stack || String(err)));
