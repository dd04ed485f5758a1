import { expect, type Page } from "@playwright/test";

// The server under test is started by `cargo leptos end-to-end` with this administrator.
const EMAIL = process.env.ROADSHOW_ADMIN_EMAIL ?? "admin@example.com";
const PASSWORD = process.env.ROADSHOW_ADMIN_PASSWORD ?? "end-to-end-password";

/** Signs the administrator in through the login form and waits for the admin home. */
export async function signIn(page: Page) {
  await page.goto("/login");
  await page.getByLabel("Email", { exact: true }).fill(EMAIL);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/admin$/);
}
