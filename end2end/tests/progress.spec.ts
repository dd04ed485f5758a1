import { expect, test } from "./fixtures";

import { signIn } from "./sign-in";

test.use({ locale: "en-GB" });

/** `YYYY-MM-DD` of `days` days from today (negative: ago), as a date input takes it. */
function day(days: number): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const PDF = Buffer.from("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");

test("a signed project runs late, starts, and its funds carry a proof a second member verifies", async ({ page }) => {
  await signIn(page);
  const stamp = Date.now().toString(36);
  await page.goto("/admin/leads/new");
  await page.waitForSelector('body[data-hydrated="true"]');
  await page.getByLabel("Name", { exact: true }).fill(`Chen Jie ${stamp}`);
  await page.getByLabel("Email", { exact: true }).fill(`chen.${stamp}@example.com`);
  await page.getByRole("button", { name: "Save lead" }).click();
  await page.getByRole("link", { name: /Open #\d+/ }).click();
  // The lead page is in another area of the organizer's code: the address changes once it has loaded.
  await page.waitForURL(/\/admin\/leads\/\d+$/);
  const leadUrl = page.url();

  // Signed, planned to start ten days ago: late, and a ≥ 50 亿元 project.
  await page.locator("summary", { hasText: "Add a project" }).click();
  await page.getByLabel("Project name").fill("Battery plant");
  await page.getByLabel("Planned investment (CNY 100 million, 亿元)").fill("60");
  await page.getByLabel("Signed on", { exact: true }).fill(day(-120));
  await page.getByLabel("Planned start", { exact: true }).fill(day(-10));
  await page.getByLabel("Planned production", { exact: true }).fill(day(-11));
  await page.getByRole("button", { name: "Add a project" }).click();
  await expect(page.locator("#e-planned_production_on")).toHaveText(
    "Cannot be before the step before it (signed → started → in production)",
  );
  await page.getByLabel("Planned production", { exact: true }).fill(day(300));
  await page.getByRole("button", { name: "Add a project" }).click();
  const project = page.locator(".project");
  await expect(project.locator(".badge.big")).toHaveText("≥ 5 bn yuan");
  await expect(project.locator(".badge.overdue-yellow")).toHaveText("Overdue: Construction start · 10 days late");

  // Started two days ago: no longer late, and the start is on the project.
  await page.getByRole("link", { name: "Edit project and progress" }).click();
  await expect(page.getByRole("heading", { name: "Edit project and progress" })).toBeVisible();
  await expect(page.getByLabel("Project name")).toHaveValue("Battery plant");
  await page.getByLabel("Construction started on", { exact: true }).fill(day(-2));
  await page.getByRole("button", { name: "Save the project" }).click();
  await expect(project.locator(".progress")).toContainText(`Construction started on ${day(-2)}`);
  await expect(project.locator(".badge.overdue-yellow")).toHaveCount(0);
  await expect(page.locator(".lead-timeline")).toContainText(`Construction started on → ${day(-2)}`);

  // Funds in place: the one who entered them cannot verify them.
  await page.getByLabel("Amount (亿元)").fill("12.5");
  await page.getByLabel("Received on").fill(day(-1));
  await page.getByRole("button", { name: "Record funds" }).click();
  const tranche = project.locator("li.tranche");
  await expect(tranche).toContainText("entered by Administrator");
  await expect(tranche.locator(".badge.unverified")).toHaveText("not verified");
  await tranche.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByRole("alert")).toContainText(
    "Funds are verified by a member other than the one who entered them",
  );
  // The refused action still reloads the lead (every action does), which draws the tranche's
  // upload form anew: a file chosen before that lands in the old form, and the new one's
  // required file field then blocks the upload. Let it settle first.
  await page.waitForLoadState("networkidle");

  // A proof file: a page that calls itself a PDF is refused; a real PDF is kept and served.
  await tranche.getByLabel(/Attach a proof/).setInputFiles({
    name: "receipt.pdf",
    mimeType: "application/pdf",
    buffer: Buffer.from("<html><script>alert(1)</script></html>"),
  });
  await tranche.getByRole("button", { name: "Upload" }).click();
  // A plain form post: the refusal is a page of its own.
  await page.waitForURL(/\/admin\/tranches\/\d+\/proof$/);
  await expect(page.getByRole("alert")).toHaveText("The proof must be a PDF, JPEG or PNG file (by its content)");
  await page.getByRole("link", { name: "Back" }).click();
  const leadPath = new URL(leadUrl).pathname;
  await page.waitForURL((url) => url.pathname === leadPath);
  await page.locator("li.tranche").getByLabel(/Attach a proof/).setInputFiles({
    name: "receipt.pdf",
    mimeType: "application/pdf",
    buffer: PDF,
  });
  await page.locator("li.tranche").getByRole("button", { name: "Upload" }).click();
  await expect(page).toHaveURL(leadUrl, { timeout: 10_000 });
  const proof = page.locator("li.tranche").getByRole("link", { name: "Proof (PDF, 1 KB)" });
  await expect(proof).toBeVisible();
  const served = await page.request.get((await proof.getAttribute("href")) ?? "");
  expect(served.status()).toBe(200);
  expect(served.headers()["content-type"]).toBe("application/pdf");
  expect(Buffer.compare(await served.body(), PDF)).toBe(0);
});

test("an owner sets a unit's targets for the year, a bad cell named by unit and figure", async ({ page }) => {
  await signIn(page);
  const stamp = Date.now().toString(36);
  const unit = `Pingjiang ${stamp}`;
  await page.goto("/admin/units");
  await page.waitForSelector('body[data-hydrated="true"]');
  await page.getByLabel("Kind").selectOption("county");
  await page.getByLabel("Chinese name").fill(`平江县 ${stamp}`);
  await page.getByLabel("English name (optional)").fill(unit);
  await page.getByRole("button", { name: "Add a unit" }).click();
  await expect(page.locator("table.units")).toContainText(unit);

  await page.goto("/admin/targets?year=2027");
  await page.waitForSelector('body[data-hydrated="true"]');
  await expect(page.getByRole("heading", { name: "Targets", level: 1 })).toBeVisible();
  await page.getByLabel(`${unit} · Projects signed`).fill("24");
  await page.getByLabel(`${unit} · Signed (亿元)`).fill("eighty");
  await page.getByRole("button", { name: "Save the targets" }).click();
  await expect(page.getByRole("alert")).toHaveText(`${unit} · Signed (亿元): Enter a number`);
  await page.getByLabel(`${unit} · Signed (亿元)`).fill("80.5");
  await page.getByRole("button", { name: "Save the targets" }).click();
  await expect(page.getByRole("status")).toHaveText("Saved");
  await page.reload();
  await expect(page.getByLabel(`${unit} · Projects signed`)).toHaveValue("24");
  await expect(page.getByLabel(`${unit} · Signed (亿元)`)).toHaveValue("80.5");
  await page.goto("/admin/targets?year=2026");
  await expect(page.getByLabel(`${unit} · Projects signed`)).toHaveValue("");

  // A trip of the unit in May 2023: the month shows it, the months around it are marked.
  await page.goto("/admin/trips?year=2023");
  await page.waitForSelector('body[data-hydrated="true"]');
  await page.getByLabel("Unit", { exact: true }).selectOption({ label: unit });
  await page.getByLabel("Destination").fill("Shenzhen");
  await page.getByLabel("From", { exact: true }).fill("2023-05-08");
  await page.getByLabel("To", { exact: true }).fill("2023-05-07");
  await page.getByLabel("Who went").fill("Li Ming");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.locator("#e-ends_on")).toHaveText("The end must be after the start");
  await page.getByLabel("To", { exact: true }).fill("2023-05-10");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.locator("li.trip", { hasText: unit })).toContainText(`${unit} · Shenzhen`);
  const row = page.locator("table.trip-months tr", { hasText: unit });
  await expect(row.locator("td").nth(4)).toHaveText("1");
  await expect(row.locator("td.missed")).toHaveCount(11);
});
