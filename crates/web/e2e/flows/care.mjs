// The care pages as a runner uses them: a check-in by clicking the body map (and by the
// keyboard), the triage shown first, the assessment saved, then the plan and today's work.
import assert from "node:assert/strict";

const region = (page, code) => page.locator(`[data-region="${code}"]`).first();
const box = (page, code) => page.locator(`input[type="checkbox"][name="regions"][value="${code}"]`);

export default async function care({ page, base, step, axe }) {
  await page.goto(base + "/checkin");
  assert.equal(await page.locator("h1").textContent(), "Check-in");
  await axe("checkin");
  await step("checkin");

  // A click on the drawing ticks the region's checkbox and shows it as chosen.
  await region(page, "ACHILLES_MID").click();
  assert.ok(await box(page, "ACHILLES_MID").isChecked(), "clicking the map ticks the region");
  assert.match(await region(page, "ACHILLES_MID").getAttribute("class"), /chosen/);
  assert.equal(await region(page, "ACHILLES_MID").getAttribute("aria-pressed"), "true");
  // The keyboard does the same: focus a region, Space ticks it, Enter unticks it.
  await region(page, "CALF_MID").focus();
  await page.keyboard.press("Space");
  assert.ok(await box(page, "CALF_MID").isChecked(), "Space on a region ticks it");
  await page.keyboard.press("Enter");
  assert.ok(!(await box(page, "CALF_MID").isChecked()), "Enter on a chosen region unticks it");
  // The same region drawn in another view follows.
  const views = page.locator('[data-region="ACHILLES_MID"]');
  assert.ok((await views.count()) >= 2, "the Achilles is drawn in more than one view");
  assert.match(await views.nth(1).getAttribute("class"), /chosen/);
  await step("body map");

  // The answers.
  await page.locator('input[name="side"][value="right"]').check();
  await page.locator('input[name="onset"][value="gradual"]').check();
  await page.locator('input[name="days_since_onset"]').fill("21");
  await page.locator('input[name="trend"][value="same"]').check();
  await page.locator('input[name="breathless_or_chest_pain"][value="no"]').check();
  await page.locator('input[name="can_bear_weight"][value="yes"]').check();
  await page.locator('input[name="morning_stiffness_min"]').fill("15");
  await page.locator('input[name="pain.now"]').fill("2");
  await page.locator('input[name="pain.during_run"]').fill("4");
  await page.locator('input[name="pain.after_run"]').fill("4");
  await page.locator('input[name="pain.next_morning"]').fill("3");
  await page.locator('input[name="character"][value="dull_ache"]').check();
  // A home test's how-to opens with its drawing.
  const howto = page.locator("details.howto").first();
  await howto.locator("summary").click();
  assert.ok(await howto.locator("svg[role=img]").isVisible(), "the how-to shows its drawing");
  await step("answers");
  await page.getByRole("button", { name: "Save the check-in and see its triage" }).click();
  await page.waitForURL(/\/checkin\/\d+/);

  // The triage is the first thing the result says.
  const headings = await page.locator("main h2").allTextContents();
  assert.match(headings[0], /^Triage: SELF_CARE/, `the triage comes first: ${headings}`);
  const triageBox = await page.locator("section.triage").boundingBox();
  const consistent = await page.getByRole("heading", { name: "What the picture is consistent with" }).boundingBox();
  assert.ok(triageBox.y < consistent.y, "the triage is above the assessment");
  await axe("checkin-result");
  await step("triage");

  await page.getByRole("button", { name: "Save the assessment" }).click();
  await page.waitForURL(/\/plan/);
  assert.ok(await page.getByText("You are here").isVisible(), "the plan says where you are");
  assert.ok((await page.getByText("CONTESTED", { exact: true }).count()) > 0, "contested advice is labelled");
  await axe("plan");
  await step("plan");

  await page.goto(base + "/today");
  assert.equal(await page.locator("h1").textContent(), "Today");
  const cards = page.locator("article.card");
  assert.ok((await cards.count()) > 0, "today has exercise cards");
  assert.ok((await cards.first().locator("svg[role=img]").count()) > 0, "each card has a drawing");
  assert.ok(await cards.first().getByText("Acceptable pain").isVisible());
  await axe("today");
  await step("today");

  // The questionnaires: one form, scored, on the list with its chart.
  await page.goto(base + "/scores/OSTRC_O2");
  await axe("scores-form");
  for (const [item, option] of [["Q1", "1"], ["Q2", "1"], ["Q3", "0"], ["Q4", "1"]]) {
    await page.locator(`input[name="a-${item}"][value="${option}"]`).check();
  }
  await page.getByRole("button", { name: "Score and save" }).click();
  await page.waitForURL(/\/scores\?/);
  // OSTRC-O2: 8 + 8 + 0 + 8 = 24 of 100.
  assert.ok(await page.getByText("24 / 100").isVisible(), "the result is listed with its total");
  await axe("scores");
  await step("scores");
}
