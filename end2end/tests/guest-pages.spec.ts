import type { Browser, Page, Response } from "@playwright/test";

import { expect, test } from "./fixtures";

// A guest's phone downloads at most this much script (JS and WASM, as sent: compressed).
const SCRIPT_BUDGET = 60 * 1024;

const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, locale: "en-GB" };

async function phone(browser: Browser, options: Record<string, unknown> = {}): Promise<Page> {
  const context = await browser.newContext({ ...PHONE, ...options });
  return context.newPage();
}

/** Opens `path` and adds up every script and WASM response as sent (encoded bytes). */
async function scriptBytes(page: Page, path: string): Promise<{ total: number; files: string[] }> {
  const seen: Response[] = [];
  const listener = (response: Response) => {
    const type = response.request().resourceType();
    const wasm = response.url().endsWith(".wasm") || (response.headers()["content-type"] ?? "").includes("wasm");
    if (type === "script" || wasm) seen.push(response);
  };
  page.on("response", listener);
  await page.goto(path, { waitUntil: "networkidle" });
  page.off("response", listener);
  let total = 0;
  const files: string[] = [];
  for (const response of seen) {
    const { responseBodySize } = await response.request().sizes();
    total += responseBodySize;
    files.push(`${new URL(response.url()).pathname} ${responseBodySize} B`);
  }
  return { total, files };
}

/** The first upcoming stop on the home page (the demo's roadshow takes registrations). */
async function upcomingStop(page: Page): Promise<string> {
  await page.goto("/");
  const href = await page.locator("ul.cards").first().locator("a").first().getAttribute("href");
  expect(href).toMatch(/^\/e\//);
  return href as string;
}

/** Registers on `stop` with a plain form post; returns the private page's path. */
async function register(page: Page, stop: string, email: string): Promise<string> {
  await page.goto(stop);
  await page.getByLabel("Name", { exact: true }).fill("Amara Okafor");
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByText("I agree that the organizer processes").click();
  await page.getByRole("button", { name: "Register" }).click();
  await page.waitForURL(/\/r\//);
  return new URL(page.url()).pathname;
}

test("a guest's phone downloads at most 60 KB of script on every public page, and no WASM", async ({ browser }) => {
  const page = await phone(browser);
  const stop = await upcomingStop(page);
  await page.goto(stop);
  const roadshow = await page.locator(".eyebrow a").getAttribute("href");
  expect(roadshow).toMatch(/^\/roadshow\//);
  const privatePage = await register(page, stop, `budget-${Date.now()}@example.com`);

  const pages = ["/", stop, roadshow as string, privatePage, "/unsubscribe/not-a-token", "/login", "/setup"];
  const report: string[] = [];
  for (const path of pages) {
    const fresh = await phone(browser);
    const { total, files } = await scriptBytes(fresh, path);
    report.push(`${path}: ${total} B (${files.join(", ") || "none"})`);
    expect(files.filter((f) => f.includes(".wasm")), `${path} loads WASM`).toEqual([]);
    expect(total, `${path}: ${files.join(", ")}`).toBeLessThanOrEqual(SCRIPT_BUDGET);
    await fresh.context().close();
  }
  console.log(`script bytes per public page:\n  ${report.join("\n  ")}`);
});

test("every public page is complete without JavaScript", async ({ browser }) => {
  const page = await phone(browser, { javaScriptEnabled: false });
  // Home: the coming stops, each a link, in place (not in a template only script shows).
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Upcoming events" })).toBeVisible();
  const stops = page.locator("ul.cards").first().locator("a[href^='/e/']");
  expect(await stops.count()).toBeGreaterThan(0);
  const stop = (await stops.first().getAttribute("href")) as string;

  await page.goto(stop);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Forum");
  await expect(page.getByRole("button", { name: "Register" })).toBeVisible();
  await expect(page.getByLabel("Country or region (optional)")).toBeVisible();

  await page.locator(".eyebrow a").click();
  await expect(page).toHaveURL(/\/roadshow\//);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.locator(`a[href='${stop}']`).first()).toBeVisible();

  await register(page, stop, `no-script-${Date.now()}@example.com`);
  await expect(page.getByText("You are registered.")).toBeVisible();
  await expect(page.getByRole("img", { name: /Check-in QR code, code RS-/ })).toBeVisible();

  await page.goto("/unsubscribe/not-a-token");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await page.goto("/login");
  await expect(page.getByLabel("Email")).toHaveAttribute("autocomplete", "username");
  await expect(page.getByLabel("Password")).toHaveAttribute("autocomplete", "current-password");
  await page.goto("/no/such/page");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
});

test("after load, the guest's form checks as you go, and the page gives the reader's own time", async ({ browser }) => {
  // A reader in New York looking at a stop in Europe or China.
  const page = await phone(browser, { timezoneId: "America/New_York" });
  const stop = await upcomingStop(page);
  await page.goto(stop);
  await page.waitForSelector('body[data-ready="true"]');
  await expect(page.locator(".viewer-time")).toContainText(/Your time: .* \(UTC-0[45]:00\)/);

  // Leaving a field asks the server's own rules; the message is the server's words.
  const email = page.getByLabel("Email", { exact: true });
  await email.fill("not-an-email");
  await email.press("Tab");
  await expect(page.locator('[data-field="email"]')).toBeVisible();
  await expect(email).toHaveAttribute("aria-invalid", "true");
  await email.fill("amara@example.com");
  await email.press("Tab");
  await expect(page.locator('[data-field="email"]')).toHaveCount(0);

  // The country list is searched as you type; the select posts the code.
  await page.getByPlaceholder("Find a country (name or code)").fill("germ");
  await expect(page.getByLabel("Country or region (optional)")).toHaveValue("DE");
  await page.getByPlaceholder("Find a country (name or code)").fill("");
  await page.getByLabel("Country or region (optional)").selectOption("KE");
  await expect(page.locator('input[name="form[time_zone]"]')).toHaveValue("America/New_York");

  // Nothing moved while the page finished itself.
  const shift = await page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        let total = 0;
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries() as unknown as { value: number; hadRecentInput: boolean }[]) {
            if (!entry.hadRecentInput) total += entry.value;
          }
        }).observe({ type: "layout-shift", buffered: true });
        setTimeout(() => resolve(total), 200);
      }),
  );
  expect(shift).toBeLessThan(0.01);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});
