// Upload a device file and a zip through the import page, follow the job, and see every
// file's outcome; then open an imported activity.
import assert from "node:assert/strict";
import { join } from "node:path";

export default async function importFlow({ page, base, corpus, step, axe }) {
  await page.goto(base + "/import");
  await axe("/import");
  const zip = process.env.SOLEUS_E2E_ZIP;
  assert.ok(zip, "the harness gives a zip to upload");
  await page.setInputFiles("#f-files", [join(corpus, "fit/fitdecode__garmin-fr935-cr.fit"), zip]);
  await step("import-chosen");
  await page.getByRole("button", { name: "Import", exact: true }).click();
  // The job page refreshes itself until the import is done.
  await page.waitForURL(/\/import\/jobs\/\d+$/);
  await page.getByRole("table", { name: "Every file and what became of it" }).waitFor({ timeout: 60000 });
  const text = await page.locator("main").innerText();
  assert.match(text, /\d+ imported, \d+ duplicate/);
  assert.match(text, /fitdecode__garmin-fr935-cr\.fit/);
  assert.match(text, /upload\.zip!\//, "entries of the zip are listed by their place in it");
  await axe("/import/jobs");
  await step("import-done");
  // An imported activity, from its outcome row.
  await page.locator("table.outcomes a").first().click();
  await page.waitForURL(/\/activities\/\d+$/);
  await axe("/activities/{id}");
  await step("activity");
}
