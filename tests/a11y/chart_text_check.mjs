#!/usr/bin/env node
// Chart text size on a phone: every chart image of the pages, shown at WIDTH px (default 375)
// in Debian's headless Chromium (playwright-core, as layout_check.mjs). An SVG chart keeps its
// text as text (svg.fonttype none), so the smallest font-size in its SVG times the image's
// shown width over its viewBox width is the smallest text size on screen, in CSS px.
//
// Usage: node tests/a11y/chart_text_check.mjs [--width 375] PAGE.html ...
// Prints one JSON object: {"width", "charts": [{"page", "alt", "shown", "viewBox", "minFont",
// "minPx"}]}. Exit code 0 when the check ran, 2 when it could not run.

import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

import { failWith, offlineContext } from "./browser.mjs";

const fail = failWith("chart_text_check");

function measure() {
  const out = [];
  for (const img of document.querySelectorAll("figure.pprr-chart img")) {
    const src = img.getAttribute("src") || "";
    const b64 = src.split("base64,")[1];
    if (!b64) continue;
    const svg = new TextDecoder().decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));
    const vb = /viewBox="0 0 ([\d.]+) /.exec(svg);
    const sizes = [...svg.matchAll(/font-size: ?([\d.]+)px/g)].map((m) => parseFloat(m[1]));
    if (!vb || sizes.length === 0) continue;
    const shown = img.getBoundingClientRect().width;
    const minFont = Math.min(...sizes);
    out.push({
      alt: img.alt.slice(0, 80),
      shown,
      viewBox: parseFloat(vb[1]),
      minFont,
      minPx: (minFont * shown) / parseFloat(vb[1]),
    });
  }
  return out;
}

async function main() {
  const args = process.argv.slice(2);
  let width = 375;
  const files = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--width") width = Number(args[++i]);
    else files.push(resolve(args[i]));
  }
  if (files.length === 0) fail("usage: node tests/a11y/chart_text_check.mjs PAGE.html ...");
  for (const f of files) if (!existsSync(f)) fail(`no such page: ${f}`);
  const { browser, context } = await offlineContext(fail, { width, height: 900 });
  const charts = [];
  try {
    const tab = await context.newPage();
    for (const file of files) {
      await tab.goto(pathToFileURL(file).href, { waitUntil: "load", timeout: 30000 });
      for (const c of await tab.evaluate(measure)) charts.push({ page: file, ...c });
    }
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify({ width, charts }) + "\n");
}

main().catch((err) => fail(err.message));
