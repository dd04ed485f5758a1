import type { Browser, BrowserContext, Page } from "@playwright/test";

import { expect, test } from "./fixtures";

test.use({ locale: "en-GB" });

const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, locale: "en-GB" };

/** A server function called as the page's own forms call it; the JSON answer. */
async function call(page: Page, endpoint: string, form: Record<string, string>) {
  const response = await page.request.post(`/api/${endpoint}`, { form });
  expect(response.status(), `${endpoint}: ${await response.text()}`).toBe(200);
  return response.json();
}

/** A published stop with `capacity` seats and the guests `names` registered; its id. */
async function stop(page: Page, capacity: number, names: string[]): Promise<number> {
  const slug = `door-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6)}`;
  const event = await call(page, "events/create", {
    "form[slug]": slug,
    "form[title_zh]": "岳阳（约翰内斯堡）推介会",
    "form[title_en]": "Yueyang Investment Forum — Johannesburg",
    "form[city]": "Johannesburg",
    "form[country]": "ZA",
    "form[region]": "Africa",
    "form[venue_name]": "Sandton Convention Centre",
    "form[time_zone]": "Africa/Johannesburg",
    "form[starts_local]": "2031-06-10T09:00",
    "form[ends_local]": "2031-06-10T17:00",
    "form[capacity]": String(capacity),
    "form[visibility]": "public",
  });
  await call(page, "events/status", { id: String(event), status: "published" });
  for (const name of names) {
    await call(page, "registrations/register", {
      slug,
      "form[name]": name,
      "form[email]": `${name.split(" ")[0].toLowerCase()}.${slug}@example.com`,
      "form[company]": `${name.split(" ")[1]} Holdings`,
      "form[language]": "en",
      "form[consent_data]": "on",
    });
  }
  return event;
}

/** The guests' check-in codes, by name (as the door downloads them). */
async function codes(page: Page, event: number): Promise<Record<string, string>> {
  const pack = await call(page, "door/prepare", { event_id: String(event) });
  return Object.fromEntries(pack.guests.map((g: [string, string]) => [g[1], g[0]]));
}

/** A signed-in organizer's phone (signed in as the form posts, without opening the
 * event list: these tests are about the door). */
async function organizerPhone(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  const signedIn = await context.request.post("/api/auth/login", {
    form: {
      "form[email]": process.env.ROADSHOW_ADMIN_EMAIL ?? "admin@example.com",
      "form[password]": process.env.ROADSHOW_ADMIN_PASSWORD ?? "end-to-end-password",
    },
    maxRedirects: 0,
  });
  expect(signedIn.status(), await signedIn.text()).toBeLessThan(400);
  return { context, page };
}

/** Opens the check-in page and prepares the phone for the event, until its pages are kept. */
async function prepare(page: Page, event: number, guests: number) {
  await page.goto(`/admin/events/${event}/check-in`);
  await page.getByRole("button", { name: "Prepare for offline" }).click();
  await expect(page.locator(".door-bar .held")).toHaveText(`${guests} guests held on this phone`);
  await expect
    .poll(() => page.evaluate(async () => (await (await caches.open("roadshow-door-pages")).keys()).length))
    .toBe(2);
  await expect.poll(() => page.evaluate(async () => !!(await navigator.serviceWorker.ready).active)).toBe(true);
}

async function typeCode(page: Page, code: string) {
  const field = page.getByLabel("Scan or type the check-in code");
  await field.fill(code);
  await field.press("Enter");
}

async function walkIn(page: Page, name: string, email: string) {
  await page.getByText("Walk-in (guest without registration)").click();
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByText("The guest agrees to the use of their data").click();
  await page.getByRole("button", { name: "Register and check in" }).click();
}

test("a phone at the door checks in, registers a walk-in and captures a lead offline, survives a reload, and uploads each once", async ({
  browser,
}) => {
  const { context, page } = await organizerPhone(browser);
  // Installable: the organizer's pages name a manifest with its icons (below); the worker
  // is allowed to fetch from this origin only.
  const manifest = await page.request.get("/manifest.webmanifest");
  expect(manifest.headers()["content-type"]).toContain("application/manifest+json");
  const app = await manifest.json();
  expect([app.start_url, app.scope, app.display]).toEqual(["/admin", "/admin", "standalone"]);
  for (const icon of app.icons) {
    const file = await page.request.get(icon.src);
    expect(file.status(), icon.src).toBe(200);
  }
  expect(app.icons.map((i: { sizes: string }) => i.sizes)).toEqual(expect.arrayContaining(["192x192", "512x512"]));
  const worker = await page.request.get("/sw.js");
  expect(worker.headers()["content-security-policy"]).toBe("default-src 'none'; connect-src 'self'; frame-ancestors 'none'");
  const names = ["Thabo Nkosi", "Zanele Dlamini", "Pieter Botha", "Lerato Mokoena"];
  const event = await stop(page, 10, names);
  const code = await codes(page, event);
  await prepare(page, event, 4);
  await expect(page.locator('link[rel="manifest"]')).toHaveAttribute("href", "/manifest.webmanifest");
  // The kept page carries no guest (no name, no email address) into the phone's caches.
  const kept = await page.evaluate(async (id) => {
    const cache = await caches.open("roadshow-door-pages");
    return (await (await cache.match(`/admin/events/${id}/check-in`))?.text()) ?? "";
  }, event);
  expect(kept).toContain("check-in-code-form");
  for (const name of names) {
    const first = name.split(" ")[0];
    expect(kept).not.toContain(first);
    expect(kept).not.toContain(`${first.toLowerCase()}.door-`);
  }
  await expect(page.locator(".door-bar .waiting")).toHaveText("everything uploaded");

  await context.setOffline(true);
  await expect(page.locator(".door-bar .network")).toHaveText(/^Offline/);
  // Three by their codes (one typed in lower case), one found by name.
  await typeCode(page, code["Thabo Nkosi"]);
  await expect(page.locator(".door-notes li").first()).toContainText("Thabo Nkosi · Checked in");
  await typeCode(page, code["Zanele Dlamini"].toLowerCase());
  await typeCode(page, code["Pieter Botha"]);
  await typeCode(page, code["Pieter Botha"]);
  await expect(page.locator(".door-notes li").first()).toContainText("Pieter Botha · already checked in");
  await page.getByLabel("Find by name, company or code").fill("lerato");
  await page.locator(".door-list li", { hasText: "Lerato Mokoena" }).getByRole("button", { name: "Check in" }).click();
  await expect(page.locator(".door-list li", { hasText: "Lerato Mokoena" }).locator(".done")).toBeVisible();
  await walkIn(page, "Sipho Khumalo", `sipho.${event}@example.com`);
  await expect(page.locator(".door-notes li").first()).toContainText("Sipho Khumalo · walk-in: seated and checked in");
  await expect(page.locator(".live-counts .count-checked-in")).toHaveText("Checked in 5");

  // The lead-capture page opens without a network too, and keeps the card.
  await page.goto(`/admin/events/${event}/capture`);
  await expect(page.locator(".door-bar .network")).toHaveText(/^Offline/);
  await page.getByLabel("Name", { exact: true }).fill("Naledi Card");
  await page.getByLabel("Email", { exact: true }).fill(`naledi.${event}@example.com`);
  await page.locator("form.capture-form").getByRole("button", { name: "Save lead" }).click();
  await expect(page.locator(".door-notes li").first()).toContainText("Naledi Card · lead kept on this phone");
  await expect(page.locator(".door-bar .waiting")).toHaveText("6 waiting for upload");

  // Closed and opened again without a network: the page opens, the list and what waits are there.
  await page.goto(`/admin/events/${event}/check-in`);
  await page.reload();
  await expect(page.locator(".door-bar .waiting")).toHaveText("6 waiting for upload");
  await expect(page.locator(".live-counts .count-checked-in")).toHaveText("Checked in 5");
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, "no horizontal scrolling at 360 px").toBeLessThanOrEqual(360);

  // Back online: everything uploads, in order, once.
  await context.setOffline(false);
  await expect(page.locator(".door-bar .waiting")).toHaveText("everything uploaded", { timeout: 20_000 });
  const list = await call(page, "registrations/list", { event_id: String(event) });
  expect(list.checked_in).toBe(5);
  expect(list.rows.filter((r: { email: string }) => r.email === `sipho.${event}@example.com`)).toHaveLength(1);
  const leads = await call(page, "leads/list", { "filter[q]": `naledi.${event}` });
  expect(leads.total).toBe(1);
  // A reload uploads nothing again.
  await page.reload();
  await expect(page.locator(".door-bar .waiting")).toHaveText("everything uploaded");
  expect((await call(page, "registrations/list", { event_id: String(event) })).checked_in).toBe(5);
  await context.close();
});

test("two phones offline each seat a walk-in in the last seat: one is seated, the other waitlisted, each phone told", async ({
  browser,
}) => {
  const one = await organizerPhone(browser);
  const two = await organizerPhone(browser);
  const event = await stop(one.page, 2, ["Amina Yusuf"]);
  await prepare(one.page, event, 1);
  await prepare(two.page, event, 1);
  await one.context.setOffline(true);
  await two.context.setOffline(true);
  await walkIn(one.page, "Kwame Mensah", `kwame.${event}@example.com`);
  await walkIn(two.page, "Chidi Okeke", `chidi.${event}@example.com`);
  for (const { page } of [one, two]) {
    await expect(page.locator(".door-notes li").first()).toContainText("walk-in: seated and checked in");
  }
  await one.context.setOffline(false);
  await expect(one.page.locator(".door-bar .waiting")).toHaveText("everything uploaded", { timeout: 20_000 });
  await two.context.setOffline(false);
  await expect(two.page.locator(".door-bar .waiting")).toHaveText("everything uploaded", { timeout: 20_000 });
  await expect(two.page.locator(".door-notes li").first()).toContainText(
    "Chidi Okeke · walk-in: another phone took the last seat, so they are on the waitlist (number 1)",
  );
  await expect(two.page.locator(".door-list li", { hasText: "Chidi Okeke" })).toContainText("Waitlisted");
  await expect(one.page.locator(".door-list li", { hasText: "Kwame Mensah" }).locator(".done")).toBeVisible();
  const list = await call(one.page, "registrations/list", { event_id: String(event) });
  // Amina (registered, not here yet) and Kwame seated, Kwame checked in; Chidi waiting.
  expect([list.confirmed, list.waitlisted, list.checked_in]).toEqual([2, 1, 1]);

  // A week after the event the phone forgets the door (here: the date moved back).
  await one.page.evaluate((id) => {
    const index = JSON.parse(localStorage.getItem("roadshow.door.index") ?? "{}");
    index[id].until = "2020-01-01T00:00:00Z";
    localStorage.setItem("roadshow.door.index", JSON.stringify(index));
  }, event);
  await one.page.reload();
  await expect(one.page.getByRole("button", { name: "Prepare for offline" })).toBeVisible();
  expect(await one.page.evaluate((id) => localStorage.getItem(`roadshow.door.${id}.pack`), event)).toBeNull();
  await one.context.close();
  await two.context.close();
});

test("two phones online see each other's check-ins within 2 s", async ({ browser }) => {
  const one = await organizerPhone(browser);
  const two = await organizerPhone(browser);
  const event = await stop(one.page, 10, ["Fatima Bello", "Joseph Mwangi"]);
  const code = await codes(one.page, event);
  // One phone prepared for offline, the other showing the server's list.
  await prepare(one.page, event, 2);
  const listening = two.page.waitForRequest(/\/door\/live$/);
  await two.page.goto(`/admin/events/${event}/check-in`);
  await listening;
  await expect(two.page.locator(".live-counts .count-checked-in")).toHaveText("Checked in 0");
  await expect.poll(() => one.page.locator(".door-bar .network").textContent()).toBe("Online · live");

  await typeCode(two.page, code["Fatima Bello"]);
  await expect(one.page.locator(".door-list li", { hasText: "Fatima Bello" }).locator(".done")).toBeVisible({
    timeout: 2_000,
  });
  await expect(one.page.locator(".live-counts .count-checked-in")).toHaveText("Checked in 1", { timeout: 2_000 });

  await typeCode(one.page, code["Joseph Mwangi"]);
  await expect(two.page.locator(".checkin-list li", { hasText: "Joseph Mwangi" }).locator(".done")).toBeVisible({
    timeout: 2_000,
  });
  await expect(two.page.locator(".live-counts .count-checked-in")).toHaveText("Checked in 2", { timeout: 2_000 });

  // Signing out removes the door from the phone: its list and its kept pages. With an
  // action not uploaded yet (here another door's, written as the phone keeps it) the
  // organizer is asked first; saying no keeps everything.
  await one.page.evaluate(() => {
    const index = JSON.parse(localStorage.getItem("roadshow.door.index") ?? "{}");
    const [first] = Object.values(index) as { owner: [number, number] }[];
    index["999999"] = { until: "2099-01-01T00:00:00Z", owner: first.owner };
    localStorage.setItem("roadshow.door.index", JSON.stringify(index));
    const action = { id: "waiting-0000-0001", at: new Date().toISOString(), kind: "check_in", code: "RS-X" };
    localStorage.setItem("roadshow.door.999999.waiting", JSON.stringify([action]));
  });
  one.page.once("dialog", (dialog) => {
    expect(dialog.message()).toContain("Actions taken at the door and not uploaded yet: 1.");
    dialog.dismiss();
  });
  await one.page.getByRole("button", { name: "Sign out" }).click();
  await expect(one.page.locator(".door-bar .held")).toHaveText("2 guests held on this phone");
  expect(await one.page.evaluate(() => localStorage.getItem("roadshow.door.999999.waiting"))).not.toBeNull();
  one.page.once("dialog", (dialog) => dialog.accept());
  await one.page.getByRole("button", { name: "Sign out" }).click();
  await one.page.waitForURL(/\/login/, { waitUntil: "load" });
  // Read from a page of its own (the signed-out page may still be navigating).
  const after = await one.context.newPage();
  await after.goto("/login");
  await expect
    .poll(() =>
      after.evaluate(async () => ({
        keys: Object.keys(localStorage).filter((k) => k.startsWith("roadshow.door")),
        caches: (await caches.keys()).filter((k) => k.startsWith("roadshow-door")),
      })),
    )
    .toEqual({ keys: [], caches: [] });
  await one.context.close();
  await two.context.close();
});
