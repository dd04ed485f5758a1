import type { Browser, Page } from "@playwright/test";

import { expect, test } from "./fixtures";
import { signIn } from "./sign-in";

test.use({ locale: "en-GB" });

/** A server function called as the page's own forms call it; the JSON answer. */
async function call(page: Page, endpoint: string, form: Record<string, string>) {
  const response = await page.request.post(`/api/${endpoint}`, { form });
  expect(response.status(), `${endpoint}: ${await response.text()}`).toBe(200);
  return response.json();
}

/** A published stop with a programme of meetings (six 20-minute slots from 14:00 in
 * Frankfurt), Table 12 and the host `hostName`. Returns the event's id and slug. */
async function stopWithMeetings(page: Page, hostName: string) {
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
    "form[name]": hostName,
    "form[organization]": "Miluo Circular Economy Industrial Park",
    "form[offer]": "Land and a recycling supply chain",
  });
  return { event, slug };
}

/** A 360 px phone without any script. */
async function phoneWithoutScript(browser: Browser, timezoneId?: string) {
  return browser.newContext({
    viewport: { width: 360, height: 740 },
    isMobile: true,
    hasTouch: true,
    locale: "en-GB",
    javaScriptEnabled: false,
    timezoneId,
  });
}

test("a guest on a phone asks for a meeting, the host accepts on a desktop, both see it, and it is held by a scan", async ({
  page,
  browser,
}) => {
  // The organizer sets up a stop with a programme of meetings, a table and a host.
  await signIn(page);
  const { event, slug } = await stopWithMeetings(page, "Li Ming");

  // The guest, on a 360 px phone without any script, registers and asks to meet.
  const context = await phoneWithoutScript(browser);
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

test("a host works from their own page on a phone without script, and the day prints per table", async ({
  page,
  browser,
}) => {
  await signIn(page);
  const { event, slug } = await stopWithMeetings(page, "Wang Fang");

  // A guest registers and asks Wang Fang to meet.
  const guestContext = await phoneWithoutScript(browser);
  const guest = await guestContext.newPage();
  await guest.goto(`/e/${slug}`);
  await guest.getByLabel("Name", { exact: true }).fill("Amara Okafor");
  await guest.getByLabel("Email", { exact: true }).fill("amara@example.com");
  await guest.getByText("I agree that the organizer processes").click();
  await guest.getByRole("button", { name: "Register" }).click();
  await guest.locator(".profiles li", { hasText: "Wang Fang" }).getByRole("button", { name: "Ask for a meeting" }).click();
  await expect(guest.getByText("Request sent: you will hear when they answer.")).toBeVisible();
  const code = (await guest.locator(".check-in-code .code").textContent())?.trim() ?? "";

  // The organizer hands the host their own link (shown on the programme page).
  await page.goto(`/admin/events/${event}/meetings`);
  await page.waitForSelector('body[data-hydrated="true"]');
  const link = await page.getByLabel("Host's own page").inputValue();
  expect(link).toMatch(/\/h\/\d+-[0-9a-f]{32}$/);

  // The host, on a phone in Shanghai without script, accepts into the first free slot.
  const hostContext = await phoneWithoutScript(browser, "Asia/Shanghai");
  const host = await hostContext.newPage();
  await host.goto(new URL(link).pathname);
  await expect(host.getByRole("heading", { name: "Your meetings", level: 1 })).toBeVisible();
  const request = host.locator(".my-meetings li", { hasText: "Amara Okafor" });
  await request.getByRole("button", { name: "Accept" }).click();
  await expect(host).toHaveURL(/\/h\/[^?]+#meetings$/);
  const meeting = host.locator(".my-meetings li", { hasText: "Amara Okafor" });
  await expect(meeting.locator(".badge")).toHaveText("Accepted");
  await expect(meeting).toContainText("14:00–14:20 venue time");
  await expect(meeting).toContainText("Table 12");

  // Their own zone (the browser's, typed here as the page runs no script): their time too.
  await host.getByLabel("My time zone (optional)").fill("Asia/Shanghai");
  await host.getByRole("button", { name: "Save" }).click();
  await expect(host.locator(".my-meetings li", { hasText: "Amara Okafor" })).toContainText("(20:00 Your time)");
  const overflow = await host.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);

  // The guest sees it; at the table the host types the guest's code: held on both sides.
  await guest.reload();
  await expect(guest.locator(".my-meetings li", { hasText: "Wang Fang" }).locator(".badge")).toHaveText("Accepted");
  await host.getByLabel("Guest's check-in code").fill(code);
  await host.getByRole("button", { name: "Held" }).first().click();
  await expect(host.getByText("Meeting recorded as held.")).toBeVisible();
  await expect(host.locator(".my-meetings li", { hasText: "Amara Okafor" }).locator(".badge")).toHaveText("Held");
  await guest.reload();
  await expect(guest.locator(".my-meetings li", { hasText: "Wang Fang" }).locator(".badge")).toHaveText("Held");

  // One A4 sheet per table: the day's slots, the meeting, ticked as held.
  await page.goto(`/admin/events/${event}/meetings/print`);
  await page.emulateMedia({ media: "print" });
  const sheet = page.locator(".table-sheet", { hasText: "Table 12" });
  await expect(sheet).toHaveCount(1);
  await expect(sheet.locator("tbody tr")).toHaveCount(6);
  await expect(sheet.locator("tbody tr").first()).toContainText("Wang Fang");
  await expect(sheet.locator("tbody tr").first()).toContainText("Amara Okafor");
  await expect(sheet.locator("tbody tr").first()).toContainText("✓");
  await expect(page.locator("nav").first()).toBeHidden();
  await guestContext.close();
  await hostContext.close();
});
