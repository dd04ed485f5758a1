import { expect, test } from "./fixtures";

import { signIn } from "./sign-in";

test.use({ locale: "en-GB" });

test("an organizer captures a lead on a phone and works it to money in place", async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await signIn(page);
  const stamp = Date.now().toString(36);
  const name = `Zhang Wei ${stamp}`;

  // Capture, as at the door from a business card.
  await page.goto("/admin/leads/new");
  await page.waitForSelector('body[data-hydrated="true"]');
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Company", { exact: true }).fill("Sany Heavy Industry");
  await page.getByLabel("Email", { exact: true }).fill(`zhang.${stamp}@example.com`);
  await page.getByLabel("Notes", { exact: true }).fill("Wants land near the port");
  await page.getByRole("button", { name: "Save lead" }).click();
  await expect(page.getByRole("status")).toContainText("Lead saved");
  const fits = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  expect(fits, "the capture form fits 360 px").toBe(true);
  await page.getByRole("link", { name: /Open #\d+/ }).click();
  await expect(page.getByRole("heading", { name: new RegExp(name) })).toBeVisible();
  await expect(page.locator(".lead-timeline")).toContainText("Wants land near the port");

  // A lost lead needs a reason; the pipeline moves and its history shows who did it.
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.getByLabel("Move to stage").selectOption("site_visit");
  await page.getByRole("button", { name: "Change" }).first().click();
  await expect(page.locator("h1 .badge")).toHaveText("Site visit");
  await expect(page.locator(".lead-timeline li.tl-stage").first()).toContainText("New → Site visit");

  // A project with its planned investment in 亿元, then money that arrived.
  await page.locator("summary", { hasText: "Add a project" }).click();
  await page.getByLabel("Project name").fill("Excavator plant");
  await page.getByLabel("Planned investment (CNY 100 million, 亿元)").fill("12.5");
  await page.getByRole("button", { name: "Add a project" }).click();
  await expect(page.locator(".project")).toContainText("CNY 1.25 bn");
  await page.getByLabel("Amount (亿元)").fill("3");
  await page.getByLabel("Received on").fill("2027-08-01");
  await page.getByRole("button", { name: "Record funds" }).click();
  await expect(page.locator(".project .funds")).toHaveText("Funds in place: CNY 300 m");

  // The list finds it; a bulk change tags it; the board shows it in its column.
  await page.goto(`/admin/leads?q=${stamp}`);
  await page.waitForSelector('body[data-hydrated="true"]');
  const row = page.getByRole("row", { name: new RegExp(name) });
  await expect(row).toBeVisible();
  await row.getByRole("checkbox").check();
  await page.getByLabel("Change", { exact: true }).selectOption("add_tag");
  await page.getByLabel("Value", { exact: true }).fill("vip");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByRole("status")).toHaveText("Updated · 1");
  await page.goto(`/admin/leads?tag=vip&q=${stamp}`);
  await expect(page.getByRole("row", { name: new RegExp(name) })).toContainText("vip");
  await page.goto("/admin/leads/board");
  await expect(page.locator(".board-column.stage-site_visit")).toContainText(name);
});
