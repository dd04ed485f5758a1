import { expect, test } from "./fixtures";

// A stop of the demo roadshow loaded on first start.
const EVENT = "/e/2023-shenzhen-hometown-new-year";

test.describe("public event page on a phone", () => {
  test.use({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, locale: "zh-CN" });

  test("reads in Chinese, switches to English, and fits 360 px", async ({ page }) => {
    await page.goto(EVENT);
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
    await expect(page.getByRole("heading", { level: 1 })).toContainText("湘商回归新春恳谈会");
    await expect(page.getByText("2023年1月10日")).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);

    await page.getByRole("link", { name: "English" }).click();
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Hometown Returnees New Year Meeting");
    await expect(page.getByText("Tue 10 Jan 2023")).toBeVisible();
    // The choice is remembered.
    await page.goto(EVENT);
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await page.screenshot({ path: "test-results/public-event-360.png", fullPage: true });
  });
});

test.describe("before the WASM loads", () => {
  test.use({ javaScriptEnabled: false, viewport: { width: 360, height: 740 }, locale: "en-GB" });

  test("the page is complete without JavaScript", async ({ page }) => {
    await page.goto(EVENT);
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Hometown Returnees");
    await expect(page.getByText("Agenda")).toBeVisible();
  });

  test("the home page lists the stops without JavaScript", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByRole("heading", { name: "Past events" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Culture and Tourism Investment Promotion Forum — Shenzhen" })).toBeVisible();
    await page.goto("/setup");
    await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
  });

  test("signing in works as a plain form post", async ({ page }) => {
    await page.goto("/login");
    await page.getByLabel("Email").fill("nobody@example.com");
    await page.getByLabel("Password").fill("wrong password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByText("Wrong email or password")).toBeVisible();
    // The refused form comes back filled in, except for the password.
    await expect(page.getByLabel("Email")).toHaveValue("nobody@example.com");
    await expect(page.getByLabel("Password")).toHaveValue("");
  });
});
