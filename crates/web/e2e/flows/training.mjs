// The training pages as a runner uses them: the activities sorted and filtered, one activity
// opened and its effort entered, a shoe added, and an energy goal set in pounds and feet and
// inches with the targets shown. Needs at least one imported run.
import assert from "node:assert/strict";

export default async function training({ page, base, step, axe }) {
  // Pounds and feet and inches for the energy widget, whatever the database had.
  await page.goto(base + "/settings");
  await page.selectOption("#f-weight_unit", "lb");
  await page.selectOption("#f-height_unit", "ftin");
  await page.click('button[type="submit"]');
  await page.waitForURL(/saved=profile/);

  await page.goto(base + "/activities");
  assert.equal(await page.locator("h1").textContent(), "Activities");
  await axe("/activities");
  await step("activities");

  // Sort by distance, longest first, with the form alone (no script needed).
  await page.selectOption("#f-sort", "distance");
  await page.selectOption("#f-order", "desc");
  await page.click('form.filter button[type="submit"]');
  await page.waitForURL(/sort=distance/);
  assert.match(await page.locator('p[role="status"]').textContent(), /sorted by distance, largest first/);
  const distances = await page.$$eval("tbody tr td:nth-child(4)", (tds) => tds.map((td) => parseFloat(td.textContent)));
  assert.ok(distances.length > 0, "the list shows runs");
  for (let i = 1; i < distances.length; i++) assert.ok(distances[i - 1] >= distances[i], `longest first: ${distances}`);
  await axe("/activities sorted");
  await step("activities-sorted");

  // A date filter that excludes everything says so; clearing it brings the runs back.
  await page.fill("#f-from", "2999-01-01");
  await page.click('form.filter button[type="submit"]');
  await page.waitForURL(/from=2999-01-01/);
  assert.match(await page.locator('p[role="status"]').textContent(), /No activity matches/);
  await page.click('form.filter a.button:has-text("Clear")');
  await page.waitForURL(/\/activities$/);

  // Open the first activity: charts with their titles, then the effort form.
  await page.locator("tbody th a").first().click();
  await page.waitForURL(/\/activities\/\d+$/);
  const url = page.url();
  assert.ok(await page.locator("svg.chart title").count() >= 1, "the activity has charts");
  await axe("/activities/{id}");
  await step("activity");
  await page.check('input[name="rpe"][value="6"]');
  await page.click('form.rpe button[type="submit"]');
  await page.waitForURL(/saved=rpe/);
  assert.match(await page.locator(".notice").textContent(), /Effort saved/);
  assert.equal(await page.locator('input[name="rpe"][value="6"]').isChecked(), true);
  await step("activity-rpe");

  // Add a shoe, then wear it on that activity.
  await page.goto(base + "/shoes");
  await axe("/shoes");
  await page.fill("#f-name", "Flow trainer");
  await page.fill("#f-drop_mm", "8");
  await page.click('form.form button[type="submit"]');
  await page.waitForURL(/saved=shoe/);
  assert.ok(await page.locator("table.shoes th", { hasText: "Flow trainer" }).count() === 1);
  await axe("/shoes with a shoe");
  await step("shoes");
  await page.goto(url);
  await page.selectOption("#f-shoe", { label: "Flow trainer (8 mm drop)" });
  await page.click('form.shoe button[type="submit"]');
  await page.waitForURL(/saved=shoe-assigned/);
  assert.match(await page.locator("dl.facts").textContent(), /Flow trainer/);

  // The energy widget in pounds and feet and inches.
  await page.goto(base + "/energy");
  assert.ok(await page.getByLabel("Gain 2 pounds per week").count() === 1);
  assert.ok(await page.getByLabel("Lose 2 pounds per week").count() === 1);
  await axe("/energy");
  await page.check('input[name="goal"][value="lose-1lb"]');
  await page.check('input[name="sex"][value="female"]');
  await page.fill("#f-birth_year", "1990");
  await page.fill("#f-height_ft", "5");
  await page.fill("#f-height_in", "6");
  await page.fill("#f-weight", "150");
  await page.click('form.calories button[type="submit"]');
  await page.waitForURL(/saved=goal/);
  assert.match(await page.locator("#targets-h").textContent(), /Lose 1 pound per week/);
  assert.match(await page.locator("dl.targets").textContent(), /kcal/);
  assert.ok(await page.locator("#projection-chart title").count() === 1, "the projection chart");
  await axe("/energy with targets");
  await step("energy");
}
