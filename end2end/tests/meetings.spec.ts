import type { Page } from "@playwright/test";

import { expect, test } from "./fixtures";
import { signIn } from "./sign-in";

test.use({ locale: "en-GB" });

/** A server function called as the page's own forms call it; the JSON answer. */
async function call(page: Page, endpoint: string, form: Record<string, string>) {
  const response = await page.request.post(`/api/${endpoint}`, { form });
  expect(response.status(), `${endpoint}: ${await response.text()}`).toBe(200);
  return response.json();
}

test("a guest on a phone asks for a meeting, the host accepts on a desktop, both see it, and it is held by a scan", async ({
  page,
  browser,
}) => {
  // The organizer sets up a stop with a programme of meetings, a table and a host.
  await signIn(page);
  const slug = `meetings-${Date.now().toString(36)}`;
  const event = await call(page, "events/create", {
    "form[slug]": slug,
    "form[title_zh]": "岳阳（法兰克福）一对一洽谈会",
    "form[title_en]": "Yueyang one-to-one meetings — Frankfurt",
    "form[city]": "Frankfurt",
    "form[country]": "DE",
    "form[region]": "Europe",
    "form[venue_name]": "Messe Frankfurt",
    "form[time_zone]": "Europe/Berlin",
    "form[starts_local]": "2031-05-08T14:00",
    "form[ends_local]": "2031-05-08T18:00",
    "form[capacity]": "50",
    "form[visibility]": "public",
  });
  await call(page, "events/status", { id: String(event), status: "published" });
  await call(page, "meetings/settings", {
    event_id: String(event),
    "form[enabled]": "on",
    "form[first_slot_at]": "2031-05-08T14:00",
    "form[slot_minutes]": "20",
    "form[slot_count]": "6",
    "form[breaks]": "",
    "form[request_hours]": "48",
    "form[max_open_requests]": "5",
    "form[reminder_minutes]": "15",
  });
  await call(page, "meetings/tables", { event_id: String(event), names: "Table 12" });
  await call(page, "meetings/host", {
    event_id: String(event),
    "form[name]": "Li Ming",
    "form[organization]": "Miluo Circular Economy Industrial Park",
    "form[offer]": "Land and a recycling supply chain",
  });

  // The guest, on a 360 px phone without any script, registers and asks to meet.
  const context = await browser.newContext({
    viewport: { width: 360, height: 740 },
    isMobile: true,
    hasTouch: true,
    locale: "en-GB",
    javaScriptEnabled: false,
  });
  const phone = await context.newPage();
  await phone.goto(`/e/${slug}`);
  await phone.getByLabel("Name", { exact: true }).fill("Grace Wanjiru");
  await phone.getByLabel("Email", { exact: true }).fill("grace@example.com");
  await phone.getByText("I agree that the organizer processes").click();
  await phone.getByRole("button", { name: "Register" }).click();
  await expect(phone.getByText("You are registered.")).toBeVisible();
  await expect(phone.getByRole("heading", { name: "Meet one to one" })).toBeVisible();
  const host = phone.locator(".profiles li", { hasText: "Li Ming" });
  await expect(host).toContainText("Land and a recycling supply chain");
  await host.getByLabel("Message (optional)").fill("We plan a recycling plant in Hunan");
  await host.getByLabel("Must meet").check();
  await host.getByRole("button", { name: "Ask for a meeting" }).click();
  await expect(phone.getByText("Request sent: you will hear when they answer.")).toBeVisible();
  await expect(phone.locator(".my-meetings")).toContainText("Awaiting an answer");
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  const code = (await phone.locator(".check-in-code .code").textContent())?.trim() ?? "";

  // The host's side, on a desktop: the request is accepted into the first free slot.
  await page.goto(`/admin/events/${event}/meetings`);
  await page.waitForSelector('body[data-hydrated="true"]');
  const row = page.locator("table.meetings tbody tr", { hasText: "Grace Wanjiru" });
  await expect(row).toContainText("We plan a recycling plant in Hunan");
  await row.getByRole("button", { name: "Accept" }).click();
  await expect(row.locator(".badge")).toHaveText("Accepted");
  await expect(page.locator("table.meeting-grid")).toContainText("Li Ming ↔ Grace Wanjiru");

  // The guest sees the meeting: when (venue time) and where.
  await phone.reload();
  const meeting = phone.locator(".my-meetings li", { hasText: "Li Ming" });
  await expect(meeting.locator(".badge")).toHaveText("Accepted");
  await expect(meeting).toContainText("14:00–14:20 venue time");
  await expect(meeting).toContainText("Table 12");

  // At the table the host scans the guest's code: the meeting is held.
  const scan = page.locator("form", { has: page.getByLabel("Guest's check-in code") });
  await scan.getByLabel("Guest's check-in code").fill(code);
  await scan.getByRole("button", { name: "Held" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Held: Li Ming ↔ Grace Wanjiru" })).toBeVisible();
  await expect(row.locator(".badge")).toHaveText("Held");
  await phone.reload();
  await expect(phone.locator(".my-meetings li", { hasText: "Li Ming" }).locator(".badge")).toHaveText("Held");
  await context.close();
});
