import { expect, test } from "./fixtures";

import { signIn } from "./sign-in";

test.use({ locale: "en-GB" });

test("an organizer signs in, creates a roadshow and an event, and finds it in the list", async ({ page }) => {
  await signIn(page);
  await expect(page.getByRole("heading", { name: "Events" })).toBeVisible();

  const stamp = Date.now().toString(36);
  await page.goto("/admin/roadshows/new");
  await page.getByLabel("Name", { exact: true }).fill(`Roadshow ${stamp}`);
  await page.getByLabel("Year", { exact: true }).fill("2027");
  await page.getByLabel("Events", { exact: true }).fill("12");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("heading", { name: `Roadshow ${stamp}` })).toBeVisible();

  await page.getByRole("link", { name: "New event" }).click();
  await expect(page).toHaveURL(/\/admin\/events\/new\?roadshow=\d+/);
  await page.getByLabel("Title (Chinese)", { exact: true }).fill(`岳阳（慕尼黑）先进材料推介会 ${stamp}`);
  await page.getByLabel("Title (English)", { exact: true }).fill(`Advanced Materials Forum Munich ${stamp}`);
  await page.getByLabel("City", { exact: true }).fill("Munich");
  await page.getByLabel("Country or region", { exact: true }).selectOption("DE");
  await page.getByLabel("Region", { exact: true }).fill("Europe");
  await page.getByLabel("Venue", { exact: true }).fill("Hilton Munich Park");
  await page.getByLabel("Venue time zone", { exact: true }).fill("Europe/Berlin");
  await page.getByLabel("Starts (venue time)", { exact: true }).fill("2027-04-20T14:00");
  await page.getByLabel("Ends (venue time)", { exact: true }).fill("2027-04-20T17:00");
  // Once the page is interactive the agenda is rows (the text box only before, and without
  // JavaScript): waiting for the button waits for that.
  await page.getByRole("button", { name: "Add an item" }).click();
  await page.getByLabel("Item 1: Time").fill("14:00");
  await page.getByLabel("Item 1: Topic").fill("Opening");
  await page.getByLabel("Item 1: Speaker").fill("Mayor of Yueyang");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page).toHaveURL(/\/admin\/events\/\d+/);
  await expect(page.getByRole("status")).toHaveText("Saved");

  await page.goto(`/admin?q=${stamp}`);
  const row = page.getByRole("link", { name: `Advanced Materials Forum Munich ${stamp}` });
  await expect(row).toBeVisible();
});

test("the event form names a bad field as the organizer types", async ({ page }) => {
  await signIn(page);
  await page.goto("/admin/events/new");
  // Wait for hydration: the live check runs in the browser, before any submit.
  await page.waitForSelector('body[data-hydrated="true"]');
  await page.getByLabel("Venue time zone", { exact: true }).fill("Mars/Olympus_Mons");
  await expect(page.locator('[data-field="time_zone"]')).toHaveText(/Unknown time zone/);
  await page.getByLabel("Capacity", { exact: true }).fill("-5");
  await expect(page.locator('[data-field="capacity"]')).toHaveText("Must be between 1 and 100000");
});
