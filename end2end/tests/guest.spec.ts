import type { Browser, Page } from "@playwright/test";

import { expect, test } from "./fixtures";

import { signIn } from "./sign-in";

/** An organizer publishes a one-seat stop; returns its public path. */
async function publishOneSeatStop(page: Page): Promise<string> {
  const slug = `one-seat-${Date.now().toString(36)}`;
  await signIn(page);
  await page.goto("/admin/events/new");
  await page.waitForSelector('body[data-hydrated="true"]');
  await page.getByLabel("Title (Chinese)", { exact: true }).fill("岳阳（内罗毕）现代物流推介会");
  await page.getByLabel("Title (English)", { exact: true }).fill("Modern Logistics Forum — Nairobi");
  await page.getByLabel("URL slug", { exact: true }).fill(slug);
  await page.getByLabel("City", { exact: true }).fill("Nairobi");
  await page.getByLabel("Country or region", { exact: true }).selectOption("KE");
  await page.getByLabel("Region", { exact: true }).fill("Africa");
  await page.getByLabel("Venue", { exact: true }).fill("Kenyatta International Convention Centre");
  // Kenya has one time zone: choosing the country sets it.
  await expect(page.getByLabel("Venue time zone", { exact: true })).toHaveValue("Africa/Nairobi");
  await page.getByLabel("Starts (venue time)", { exact: true }).fill("2030-05-10T10:00");
  await page.getByLabel("Ends (venue time)", { exact: true }).fill("2030-05-10T13:00");
  await page.getByLabel("Capacity", { exact: true }).fill("1");
  // The agenda as rows: added, moved and removed in place.
  await page.getByRole("button", { name: "Add an item" }).click();
  await page.getByLabel("Item 1: Time").fill("10:00");
  await page.getByLabel("Item 1: Topic").fill("Opening remarks");
  await page.getByLabel("Item 1: Speaker").fill("Mayor of Yueyang");
  await page.getByRole("button", { name: "Add an item" }).click();
  await page.getByLabel("Item 2: Time").fill("10:00");
  await page.getByLabel("Item 2: Topic").fill("Logistics in East Africa");
  await page.getByRole("button", { name: "Item 2: Move up" }).click();
  await expect(page.getByLabel("Item 1: Topic")).toHaveValue("Logistics in East Africa");
  await page.getByRole("button", { name: "Item 2: Remove" }).click();
  await expect(page.getByLabel("Item 2: Topic")).toHaveCount(0);
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status")).toHaveText("Saved");
  // Before publishing, the page as a guest's phone will show it.
  await page.getByText("Preview on a phone (as saved)").click();
  const preview = page.frameLocator('iframe[title="Preview on a phone (as saved)"]');
  await expect(preview.getByRole("heading", { level: 1 })).toHaveText("Modern Logistics Forum — Nairobi");
  await expect(preview.locator(".agenda li")).toContainText("Logistics in East Africa");
  await page.getByRole("button", { name: "Publish" }).click();
  await expect(page.locator(".badge.status-published")).toBeVisible();
  return `/e/${slug}`;
}

/** The organizer's admin page of the event shown in `page`, e.g. `/admin/events/7`. */
function adminPath(page: Page): string {
  return new URL(page.url()).pathname;
}

async function phone(browser: Browser, javaScriptEnabled: boolean): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 360, height: 740 },
    isMobile: true,
    hasTouch: true,
    locale: "en-GB",
    javaScriptEnabled,
  });
  return context.newPage();
}

test.use({ locale: "en-GB" });

test("guests register from their phones: the seat, then the waitlist", async ({ page, browser }) => {
  const path = await publishOneSeatStop(page);

  const first = await phone(browser, true);
  await first.goto(path);
  await expect(first.getByText("1 seat left")).toBeVisible();
  await expect(first.locator(".agenda li")).toHaveCount(1);
  await expect(first.locator(".agenda li")).toContainText("Logistics in East Africa");
  await first.getByLabel("Name", { exact: true }).fill("Wang Fang");
  await first.getByLabel("Email", { exact: true }).fill("wang.fang@example.com");
  await first.getByRole("button", { name: "Register" }).click();
  await expect(first.locator('[data-field="consent_data"]')).toBeVisible();
  await first.getByText("I agree that the organizer processes").click();
  await first.getByRole("button", { name: "Register" }).click();
  await expect(first.getByText("You are registered.")).toBeVisible();
  const overflow = await first.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);

  // Before any WASM: a plain form post, and the form says "waitlist" before submitting.
  const second = await phone(browser, false);
  await second.goto(path);
  await expect(second.getByText("Full: registering now puts you on the waitlist.")).toBeVisible();
  await second.getByLabel("Name", { exact: true }).fill("Jean Dupont");
  await second.getByLabel("Email", { exact: true }).fill("jean.dupont@example.com");
  await second.getByText("I agree that the organizer processes").click();
  await second.getByRole("button", { name: "Register" }).click();
  await expect(second.getByText("you are on the waitlist")).toBeVisible();
  await expect(second.getByText("1st on the waitlist")).toBeVisible();

  // The first guest cancels from their private page; the seat goes to the second.
  await first.getByRole("button", { name: "Cancel my registration" }).click();
  await expect(first.getByText("Your registration is cancelled.")).toBeVisible();
  await second.reload();
  await expect(second.getByText("You are registered.")).toBeVisible();
  // Their check-in code, as a QR code and as text.
  await expect(second.locator(".check-in-code svg")).toBeVisible();
  const code = (await second.locator(".check-in-code .code").textContent())?.trim() ?? "";
  expect(code).toMatch(/^RS-[0-9A-Z]{16}$/);

  // Still without JavaScript, the guest changes their details from the private page.
  await second.getByText("Change my details").click();
  await second.getByLabel("Company (optional)", { exact: true }).fill("Dupont Logistique SA");
  await second.getByRole("button", { name: "Save changes" }).click();
  await expect(second.getByText("Changes saved")).toBeVisible();

  // At the door, on the organizer's phone: the code is scanned (a scanner types it).
  const door = adminPath(page) + "/check-in";
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto(door);
  await page.waitForSelector('body[data-hydrated="true"]');
  await page.getByLabel("Scan or type the check-in code").fill(code.toLowerCase());
  await page.getByLabel("Scan or type the check-in code").press("Enter");
  await expect(page.getByRole("status")).toHaveText("Jean Dupont · Checked in");
  await expect(page.locator(".count-checked-in")).toHaveText("Checked in 1");
  await page.getByLabel("Scan or type the check-in code").fill(code);
  await page.getByLabel("Scan or type the check-in code").press("Enter");
  await expect(page.getByRole("status")).toContainText("Already checked in");

  // Or found by name: a plain GET form, so the search is a new page that hydrates again.
  await page.getByRole("searchbox").fill("dupont");
  await page.getByRole("button", { name: "Search" }).click();
  await page.waitForURL(/\?q=dupont/);
  await page.waitForSelector('body[data-hydrated="true"]');
  await expect(page.locator(".checkin-list .guest")).toHaveCount(1);
  await expect(page.locator(".checkin-list .done")).toBeVisible();

  // A walk-in takes no seat when there is none: the one seat is Jean's.
  await page.getByText("Walk-in (guest without registration)").click();
  await page.getByLabel("Name", { exact: true }).fill("Li Lei");
  await page.getByLabel("Email", { exact: true }).fill("li.lei@example.com");
  await page.getByText("The guest agrees to the use of their data").click();
  await page.getByRole("button", { name: "Register and check in" }).click();
  await expect(page.getByRole("alert").first()).toContainText("The event is full");

  // Every email the product sent is on the Outbox page (no SMTP configured here).
  await page.goto("/admin/outbox");
  await expect(page.getByRole("link", { name: /You're registered: Modern Logistics Forum/ }).first()).toBeVisible();
  await expect(page.getByRole("link", { name: /A seat is yours/ }).first()).toBeVisible();
});
