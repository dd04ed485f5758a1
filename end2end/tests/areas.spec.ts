import { expect, test } from "./fixtures";

import { signIn } from "./sign-in";

test.use({ locale: "en-GB" });

/** The path of every WASM file the page fetched, in order. */
function wasmFetched(page: import("@playwright/test").Page): string[] {
  const paths: string[] = [];
  page.on("response", (response) => {
    const path = new URL(response.url()).pathname;
    if (path.endsWith(".wasm")) paths.push(path);
  });
  return paths;
}

test("the organizer's code arrives by area: /admin loads the overview's, the leads' code comes when leads open", async ({ page }) => {
  await signIn(page);
  const wasm = wasmFetched(page);
  await page.goto("/admin");
  await expect(page.locator("body[data-hydrated]")).toHaveCount(1);

  // The head asks for the area's pieces beside the main module (no wait for hydration to find them).
  const preloads = await page.locator('head link[rel="preload"][as="fetch"]').evaluateAll((links) =>
    links.map((l) => new URL((l as HTMLLinkElement).href).pathname),
  );
  expect(preloads.some((p) => /\/split_overview_/.test(p)), preloads.join(" ")).toBe(true);
  expect(preloads.some((p) => /\/split_leads_/.test(p))).toBe(false);
  await expect(page.locator('head link[rel="modulepreload"][href*="__wasm_split."]')).toHaveCount(1);
  expect(wasm.some((p) => /\/split_overview_/.test(p)), wasm.join(" ")).toBe(true);
  expect(wasm.some((p) => /\/split_leads_/.test(p))).toBe(false);

  // A link to another area loads its code in place: the same document, now with the leads' code.
  await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
  await page.getByRole("navigation").getByRole("link", { name: "Leads", exact: true }).click();
  await expect(page).toHaveURL(/\/admin\/leads$/);
  await expect(page.getByRole("heading", { name: "Leads", exact: true })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
  expect(wasm.some((p) => /\/split_leads_/.test(p)), wasm.join(" ")).toBe(true);

  // Opened first, an area's page hydrates from its own pieces too (a bookmarked lead list).
  await page.goto("/admin/leads");
  await expect(page.locator("body[data-hydrated]")).toHaveCount(1);
  await expect(page.getByRole("heading", { name: "Leads", exact: true })).toBeVisible();
});
