// Accounts and sharing in a browser, on a Soleus of its own: a runner signs up (taking the
// sample history), invites a coach; the coach opens the link, makes an account with the
// invited address, accepts, finds the runner on the roster and comments on a run; the runner
// sees the notification and replies; the coach sees the reply in the thread; the runner
// revokes, and the coach's next look at the runner's page is "not found". Axe checks every
// page on the way.
import assert from "node:assert/strict";

export default async function sharing({ page, step, axe, accounts }) {
  assert.ok(accounts, "SOLEUS_E2E_ACCOUNTS names the second server");
  const base = accounts;
  const signIn = async (email, password) => {
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
  };

  await page.goto(base + "/signup");
  await axe("signup");
  await page.getByLabel("Your name").fill("Ana");
  await page.getByLabel("Email").fill("ana@example.org");
  await page.getByLabel("Password").fill("larch meadow 42");
  await page.getByLabel("Runner").check();
  await page.getByRole("button", { name: "Create the account" }).click();
  await page.waitForURL(base + "/");
  assert.equal(await page.locator(".account a[href=\"/account\"]").textContent(), "Ana", "signed in as Ana");

  await page.goto(base + "/sharing");
  await axe("sharing");
  await page.getByLabel("Their email").fill("kim@example.org");
  await page.getByLabel("They are").selectOption("coach");
  await page.getByLabel("They may").selectOption("comment");
  await page.getByRole("button", { name: "Make the invitation" }).click();
  const link = await page.getByLabel("The invitation's link").inputValue();
  assert.match(link, /\/invitations\/[0-9a-f]{64}$/, link);
  await axe("sharing, invitation made");
  await step("invitation-made");

  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await page.waitForURL(/\/login$/);
  await axe("login");

  // The coach: the link, a new account with the invited address, accept.
  await page.goto(link);
  await axe("invitation");
  await page.getByRole("link", { name: "create an account" }).click();
  await page.getByLabel("Your name").fill("Kim");
  await page.getByLabel("Email").fill("kim@example.org");
  await page.getByLabel("Password").fill("quiet harbour 7");
  await page.getByLabel("Coach").check();
  await page.getByRole("button", { name: "Create the account" }).click();
  await page.waitForURL(link);
  await page.getByRole("button", { name: "Accept" }).click();
  await page.waitForURL(/\/roster\?saved=accepted$/);
  await axe("roster");
  await step("roster");
  await page.getByRole("link", { name: "Ana" }).click();
  const athlete = page.url();
  assert.match(athlete, /\/athletes\/\d+$/);
  assert.equal(await page.locator("h1").textContent(), "Ana");
  await axe("shared athlete");

  // The coach comments on a run.
  await page.getByRole("link", { name: /^Comments on the activity of/ }).first().click();
  await page.waitForURL(/\/threads\/activity\/\d+$/);
  const thread = page.url();
  await axe("thread");
  await page.getByRole("textbox", { name: "Comment" }).fill("Keep the next long run **under 90 minutes**.");
  await page.getByRole("button", { name: "Post comment" }).click();
  await page.waitForURL((u) => u.href.startsWith(thread));
  const posted = await page.locator("ol.comments").textContent();
  assert.ok(posted.includes("under 90 minutes") && posted.includes("Coach"), posted);
  assert.ok(!posted.includes("kim@example.org"), "never the email");
  await axe("thread, commented");
  await step("thread-commented");
  await page.goto(base + "/account");
  await axe("account");
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await page.waitForURL(/\/login$/);

  // The runner sees the notification and replies.
  await signIn("ana@example.org", "larch meadow 42");
  await page.waitForURL(base + "/");
  await page.getByRole("link", { name: /^Notifications/ }).click();
  await page.waitForURL(/\/notifications$/);
  await axe("notifications");
  const note = page.locator("ul.notifications a").first();
  assert.match(await note.textContent(), /Kim commented on your/);
  await note.click();
  await page.locator("summary", { hasText: "Reply" }).first().click();
  await page.getByLabel("Your reply").first().fill("Will do, thanks!");
  await page.getByRole("button", { name: "Reply", exact: true }).first().click();
  await page.waitForLoadState();
  assert.ok((await page.locator("ol.comments").textContent()).includes("Will do, thanks!"));
  // Opening a page changes nothing (no GET writes): the runner marks the inbox read.
  await page.goto(base + "/notifications");
  await page.getByRole("button", { name: "Mark all read" }).click();
  await page.waitForURL(/\/notifications/);
  assert.ok((await page.locator("main").textContent()).includes("You're all caught up!"));
  await axe("notifications, caught up");
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await page.waitForURL(/\/login$/);

  // The coach sees the reply in the thread.
  await signIn("kim@example.org", "quiet harbour 7");
  await page.waitForURL(/\/roster$/);
  await page.goto(thread);
  const replied = await page.locator("ol.comments").textContent();
  assert.ok(replied.includes("Will do, thanks!") && replied.includes("Athlete"), replied);
  await step("thread-replied");
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await page.waitForURL(/\/login$/);

  // The runner revokes; the coach's next page load is "not found".
  await signIn("ana@example.org", "larch meadow 42");
  await page.waitForURL(base + "/");
  await page.goto(base + "/sharing");
  await page.getByRole("button", { name: "Revoke Kim's access" }).click();
  await page.waitForURL(/\/sharing\?saved=revoked$/);
  assert.ok((await page.locator("main").textContent()).includes("Nobody: your data is yours alone."));
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await page.waitForURL(/\/login$/);
  await signIn("kim@example.org", "quiet harbour 7");
  await page.waitForURL(/\/roster$/);
  const gone = await page.goto(athlete);
  assert.equal(gone.status(), 404, "revoked: the runner's page is not found");
}
