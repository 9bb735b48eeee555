// Soleus's browser tests: every flow in flows/ against a running Soleus, in Debian's chromium
// (never a downloaded browser), with axe on every page a flow opens.
//
//   node run.mjs BASE_URL OUT_DIR CORPUS_DIR [FLOW ...]
//
// A flow is a module whose default export is `async function ({ page, base, corpus, step, axe,
// accounts })`; `accounts` is a second Soleus on a database of its own (SOLEUS_E2E_ACCOUNTS),
// for flows that make accounts, which would make every other flow's page ask for a sign-in.
// `axe(name)` fails the run on any serious or critical accessibility violation; `step(name)`
// writes full-page screenshots at 1280 and 375 px under OUT_DIR. Prints one JSON line of
// results and exits non-zero when any flow failed.
import { readdirSync, mkdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { AxeBuilder } from "@axe-core/playwright";

const [base, out, corpus, ...only] = process.argv.slice(2);
if (!base || !out || !corpus) {
  console.error("usage: node run.mjs BASE_URL OUT_DIR CORPUS_DIR [FLOW ...]");
  process.exit(2);
}
mkdirSync(out, { recursive: true });
const here = dirname(fileURLToPath(import.meta.url));
const flows = readdirSync(join(here, "flows"))
  .filter((f) => f.endsWith(".mjs"))
  .map((f) => f.slice(0, -4))
  .filter((f) => only.length === 0 || only.includes(f))
  .sort();

const browser = await chromium.launch({
  executablePath: process.env.SOLEUS_CHROMIUM || "/usr/bin/chromium",
  args: [
    "--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
  ],
});

const results = [];
for (const name of flows) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const consoleErrors = [];
  // Script errors, and any stylesheet, script or image that did not load (a page a flow opens
  // may answer 404 on purpose; the flow checks that itself).
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) consoleErrors.push(m.text());
  });
  page.on("response", (r) => {
    if (r.status() >= 400 && r.request().resourceType() !== "document" && r.request().resourceType() !== "fetch") {
      consoleErrors.push(`${r.status()} for ${r.url()}`);
    }
  });
  page.on("pageerror", (e) => consoleErrors.push(String(e)));
  const pages = [];
  const violations = [];
  let shots = 0;
  const step = async (label) => {
    const stem = `${name}-${String(++shots).padStart(2, "0")}-${label.replace(/[^a-z0-9-]+/gi, "-")}`;
    for (const width of [1280, 375]) {
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({ path: join(out, `${stem}-${width}.png`), fullPage: true });
      if (width === 375) {
        // Nothing may need sideways scrolling on a phone.
        const wide = await page.evaluate(() => document.documentElement.scrollWidth);
        if (wide > 375 + 1) violations.push({ page: label, id: "horizontal-scroll", impact: "serious", help: `the page is ${wide} px wide at 375 px`, nodes: 1 });
      }
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  };
  const axe = async (label) => {
    const r = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    pages.push(label);
    for (const v of r.violations) {
      if (v.impact === "serious" || v.impact === "critical") {
        violations.push({ page: label, id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length, target: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) });
      }
    }
  };
  let error = null;
  try {
    const flow = (await import(pathToFileURL(join(here, "flows", `${name}.mjs`)).href)).default;
    await flow({ page, base, corpus, step, axe, accounts: process.env.SOLEUS_E2E_ACCOUNTS });
  } catch (e) {
    error = String(e && e.stack ? e.stack : e);
    await page.screenshot({ path: join(out, `${name}-failed.png`), fullPage: true }).catch(() => {});
  }
  results.push({ flow: name, ok: !error && violations.length === 0 && consoleErrors.length === 0, error, pages, violations, consoleErrors });
  await context.close();
}
await browser.close();
console.log(JSON.stringify({ results }));
process.exit(results.every((r) => r.ok) ? 0 : 1);
