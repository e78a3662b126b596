#!/usr/bin/env node
// Layout check of pprr pages (WCAG 1.4.10 reflow) in Debian's headless Chromium, driven by
// playwright-core like axe_check.mjs. One browser for all pages.
//
// Usage: node tests/a11y/layout_check.mjs [--widths 320,768,1280] [--pdf-dir DIR] PAGE.html ...
// For every page and width it reports whether the page scrolls sideways
// (document.documentElement.scrollWidth > innerWidth) and every element whose right edge
// passes its container's (the outermost such element of each overflowing subtree), including
// content hidden inside a horizontally scrolling box. With --pdf-dir each page is also printed
// to an A4 PDF (print media, backgrounds on) named after the page. The rows of a measures
// table shown as cards are listed with their fields' labels in the order they are seen.
// Prints one JSON object: {"browser", "pages": [{"path", "widths": [{"width", "scrollWidth",
// "innerWidth", "overflow": [...], "cards": [{"code", "labels"}]}], "pdf": path|null,
// "errors": [...]}]}.
// Exit code: 0 when the check ran (whatever it found), 2 when it could not run.

import { existsSync, mkdirSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

import { failWith, offlineContext } from "./browser.mjs";

const TIMEOUT = Number(process.env.PPRR_A11Y_TIMEOUT_MS || 30000);
const fail = failWith("layout_check");

// Runs in the page: the outermost elements that stick out of their container.
function measure() {
  const slack = 1; // sub-pixel rounding
  const describe = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += `#${el.id}`;
    if (el.classList.length) s += `.${[...el.classList].join(".")}`;
    const label = el.getAttribute("data-label");
    if (label) s += `[data-label="${label}"]`;
    const text = (el.textContent || "").trim().replace(/\s+/g, " ").slice(0, 60);
    return text ? `${s} "${text}"` : s;
  };
  const visible = (el) => {
    const st = getComputedStyle(el);
    if (st.display === "none" || st.visibility === "hidden") return false;
    const r = el.getBoundingClientRect();
    return r.width > 1 && r.height > 1; // visually hidden text (1px clip) is not content
  };
  const out = [];
  const walk = (parent) => {
    const pr = parent.getBoundingClientRect();
    const pst = getComputedStyle(parent);
    const right = pr.right - parseFloat(pst.borderRightWidth || "0");
    for (const el of parent.children) {
      if (el.closest("svg") && el.tagName.toLowerCase() !== "svg") continue;
      if (!visible(el)) continue;
      const r = el.getBoundingClientRect();
      if (r.right > right + slack || r.left < pr.left - slack) {
        out.push({
          element: describe(el),
          container: describe(parent),
          right: Math.round(r.right),
          containerRight: Math.round(right),
        });
        continue; // its descendants stick out with it
      }
      const st = getComputedStyle(el);
      if (["auto", "scroll", "hidden"].includes(st.overflowX) && el.scrollWidth > el.clientWidth + slack) {
        out.push({
          element: describe(el),
          container: describe(parent),
          right: Math.round(r.left + el.scrollWidth),
          containerRight: Math.round(r.right),
          scrolls: true,
        });
        continue;
      }
      walk(el);
    }
  };
  walk(document.body);
  // a measures table shown as cards: each measure's fields in the order they are seen
  const cards = [];
  for (const tr of document.querySelectorAll("table.pprr-measures tbody tr")) {
    if (tr.classList.contains("pprr-group") || tr.classList.contains("pprr-commentary")) continue;
    if (getComputedStyle(tr).display !== "flex") continue;
    const seen = [...tr.children]
      .filter(visible)
      .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top);
    cards.push({ code: (tr.children[0].textContent || "").trim(), labels: seen.map((c) => c.getAttribute("data-label") || "") });
  }
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    overflow: out,
    cards,
  };
}

async function main() {
  const args = process.argv.slice(2);
  let widths = [320, 768, 1280];
  let pdfDir = null;
  const files = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--widths") widths = args[++i].split(",").map(Number);
    else if (args[i] === "--pdf-dir") pdfDir = resolve(args[++i]);
    else files.push(resolve(args[i]));
  }
  if (files.length === 0) fail("usage: node tests/a11y/layout_check.mjs [--pdf-dir DIR] PAGE.html ...");
  for (const f of files) if (!existsSync(f)) fail(`no such page: ${f}`);
  if (pdfDir) mkdirSync(pdfDir, { recursive: true });
  const { browser, context } = await offlineContext(fail, { width: 1280, height: 900 });
  const pages = [];
  try {
    const tab = await context.newPage();
    for (const file of files) {
      const result = { path: file, widths: [], pdf: null, errors: [] };
      try {
        for (const width of widths) {
          await tab.setViewportSize({ width, height: 900 });
          await tab.goto(pathToFileURL(file).href, { waitUntil: "load", timeout: TIMEOUT });
          result.widths.push({ width, ...(await tab.evaluate(measure)) });
        }
        if (pdfDir) {
          const name = `${basename(join(file, "..")) || "page"}--${basename(file, ".html")}.pdf`;
          result.pdf = join(pdfDir, name);
          await tab.pdf({ path: result.pdf, format: "A4", printBackground: true, preferCSSPageSize: true });
        }
      } catch (err) {
        result.errors.push(`could not check the page: ${err.message.split("\n")[0]}`);
      }
      pages.push(result);
    }
    await context.close();
  } finally {
    const version = browser.version();
    await browser.close();
    process.stdout.write(`${JSON.stringify({ browser: version, pages })}\n`);
  }
}

main().catch((err) => fail(err.stack || String(err)));
