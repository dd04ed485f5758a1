import { expect, test } from "./fixtures";

import { signIn } from "./sign-in";

test.use({ locale: "en-GB" });

test("an owner sets up promotion units and credits a project to one", async ({ page }) => {
  await signIn(page);
  const stamp = Date.now().toString(36);
  const county = `汨罗市 ${stamp}`;
  const town = `白水镇 ${stamp}`;

  await page.goto("/admin/units");
  await page.waitForSelector('body[data-hydrated="true"]');
  await expect(page.getByRole("heading", { name: "Promotion units", level: 1 })).toBeVisible();
  await page.getByLabel("Kind").selectOption("county");
  await page.getByLabel("Chinese name").fill(county);
  await page.getByLabel("English name (optional)").fill(`Miluo ${stamp}`);
  await page.getByRole("button", { name: "Add a unit" }).click();
  await expect(page.locator("table.units")).toContainText(`Miluo ${stamp}`);

  // A township under the county, shown indented beneath it.
  await page.getByLabel("Kind").selectOption("township");
  await page.getByLabel("Chinese name").fill(town);
  await page.getByLabel("English name (optional)").fill("");
  await page.getByLabel("Under").selectOption({ label: `Miluo ${stamp}` });
  await page.getByRole("button", { name: "Add a unit" }).click();
  const townRow = page.locator("table.units tr", { hasText: town });
  await expect(townRow).toContainText("Township");
  const indent = await townRow.locator("td").first().evaluate((td) => parseFloat(getComputedStyle(td).paddingLeft));
  const countyIndent = await page
    .locator("table.units tr", { hasText: `Miluo ${stamp}` })
    .locator("td")
    .first()
    .evaluate((td) => parseFloat(getComputedStyle(td).paddingLeft));
  expect(indent).toBeGreaterThan(countyIndent);

  // The same name twice is refused at the field.
  await page.getByLabel("Kind").selectOption("county");
  await page.getByLabel("Chinese name").fill(county);
  await page.getByRole("button", { name: "Add a unit" }).click();
  await expect(page.locator("#e-name_zh")).toHaveText("A unit with this name exists already");

  // In Chinese, the page and its kinds read in Chinese.
  await page.goto(`/lang/zh?next=${encodeURIComponent("/admin/units")}`);
  await expect(page.getByRole("heading", { name: "招商单位", level: 1 })).toBeVisible();
  await expect(page.locator("table.units tr", { hasText: town })).toContainText("乡镇街道");
  await page.goto(`/lang/en?next=${encodeURIComponent("/admin/units")}`);

  // A project is credited to the county; a bad credit code is refused by field.
  await page.goto("/admin/leads/new");
  await page.waitForSelector('body[data-hydrated="true"]');
  await page.getByLabel("Name", { exact: true }).fill(`Li Na ${stamp}`);
  await page.getByLabel("Email", { exact: true }).fill(`li.${stamp}@example.com`);
  await page.getByRole("button", { name: "Save lead" }).click();
  await page.getByRole("link", { name: /Open #\d+/ }).click();
  await page.locator("summary", { hasText: "Add a project" }).click();
  await page.getByLabel("Project name").fill("Pump plant");
  await page.locator("#f-unit_id").selectOption({ label: `Miluo ${stamp}` });
  await page.getByLabel("Unified social credit code (optional)").fill("91350100M000100Y44");
  await page.getByRole("button", { name: "Add a project" }).click();
  await expect(page.locator("#e-credit_code")).toContainText("check character");
  await page.getByLabel("Unified social credit code (optional)").fill("91350100M000100Y43");
  await page.getByRole("button", { name: "Add a project" }).click();
  await expect(page.locator(".project .unit")).toContainText(`Credited to: Miluo ${stamp} · 91350100M000100Y43`);
});
