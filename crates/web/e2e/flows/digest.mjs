// The weekly digest's HTML as a mail client shows it: opened from the file Soleus rendered
// (SOLEUS_E2E_DIGEST), screenshots at 1280 and 375 px, axe, no image that fails to load and no
// link that does not open a page of the running Soleus.
import assert from "node:assert/strict";
import { pathToFileURL } from "node:url";

export default async function digest({ page, step, axe, base }) {
  const file = process.env.SOLEUS_E2E_DIGEST;
  assert.ok(file, "SOLEUS_E2E_DIGEST names the rendered digest");
  await page.goto(pathToFileURL(file).href);
  await step("digest");
  await axe("digest");
  assert.equal(await page.locator("script, svg").count(), 0, "no script or SVG in mail");
  const broken = await page.$$eval("img", (imgs) => imgs.filter((i) => !i.complete || i.naturalWidth === 0).map((i) => i.src));
  assert.deepEqual(broken, [], "every image loads");
  const links = await page.$$eval("a[href]", (as) => as.map((a) => a.href));
  assert.ok(links.length >= 4, `the digest links to the app: ${links}`);
  for (const href of new Set(links)) {
    assert.ok(href.startsWith(base + "/"), `${href} points at this Soleus`);
    const r = await page.request.get(href);
    assert.equal(r.status(), 200, `${href} opens a page`);
  }
  // The unsubscribe link opens its page, which only asks (a GET changes nothing).
  const unsub = links.find((l) => l.includes("/unsubscribe/"));
  assert.ok(unsub, "an unsubscribe link");
  await page.goto(unsub);
  await axe("unsubscribe");
  await page.getByRole("button", { name: "Unsubscribe" }).waitFor();
  await step("unsubscribe");
}
