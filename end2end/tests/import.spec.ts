import { expect, test } from "./fixtures";

import { signIn } from "./sign-in";

test.use({ locale: "en-GB" });

/** Chinese text as a Chinese Excel saves a "CSV": GBK bytes (no UTF-8 encoder for it in Node). */
const gbk = {
  name: Buffer.from("d0d5c3fb", "hex"), // 姓名
  email: Buffer.from("d3cacfe4", "hex"), // 邮箱
  unit: Buffer.from("b5a5cebbc3fbb3c6", "hex"), // 单位名称
  zhangWei: Buffer.from("d5c5ceb0", "hex"), // 张伟
};

test("an organizer imports a GBK spreadsheet of 1,202 rows and sees what was refused", async ({ page }) => {
  await signIn(page);
  const stamp = Date.now().toString(36);
  const parts: Buffer[] = [gbk.name, Buffer.from(","), gbk.email, Buffer.from(","), gbk.unit, Buffer.from("\r\n")];
  parts.push(gbk.zhangWei, Buffer.from(` ${stamp},zhang.${stamp}@example.cn,Sany\r\n`));
  parts.push(Buffer.from(`Broken ${stamp},not-an-email,Nowhere\r\n`));
  for (let i = 0; i < 1200; i++) {
    parts.push(Buffer.from(`Guest ${i} ${stamp},g${i}.${stamp}@example.de,"Firm ${i}, GmbH"\r\n`));
  }

  await page.goto("/admin/leads/import");
  await page.waitForSelector('body[data-hydrated="true"]');
  await page.locator("#import-file").setInputFiles({ name: `fair ${stamp}.csv`, mimeType: "text/csv", buffer: Buffer.concat(parts) });

  // The preview: headers decoded from GBK, two of three columns recognised, the third chosen by hand.
  const preview = page.locator(".import-preview");
  await expect(preview.locator("thead tr").first()).toHaveText(/姓名\s*邮箱\s*单位名称/);
  await expect(page.getByLabel("姓名", { exact: true })).toHaveValue("name");
  await expect(page.getByLabel("邮箱", { exact: true })).toHaveValue("email");
  await expect(page.getByLabel("单位名称", { exact: true })).toHaveValue("ignore");
  await page.getByLabel("单位名称", { exact: true }).selectOption("company");
  await expect(preview.locator("tbody tr").first()).toContainText(`张伟 ${stamp}`);

  // Every row checked before anything is sent.
  await expect(page.locator(".import-check")).toHaveText("1,202 rows · 1,201 ready · 1 with errors (not imported)");
  await expect(page.locator(".import-rejected").first()).toContainText("3邮箱");
  await expect(page.locator("#import-tags")).toHaveValue(`fair${stamp}`);

  await page.locator("#import-run").click();
  const progress = page.locator(".import-progress");
  await expect(progress.locator(".status")).toHaveText("Import finished", { timeout: 60_000 });
  await expect(progress.locator("progress")).toHaveAttribute("value", "1202");
  await expect(progress.locator(".count")).toHaveText("1,202 / 1,202 · 1,201 created · 0 updated · 1 rejected");
  await expect(progress.locator(".import-rejected")).toContainText("3邮箱");
  const href = await progress.getByRole("link", { name: /Download the rejected rows/ }).getAttribute("href");
  const rejected = decodeURIComponent(href!.replace("data:text/csv;charset=utf-8,", ""));
  expect(rejected).toContain(`Broken ${stamp},not-an-email,Nowhere,`);

  // The leads are there, tagged with the file's name, Chinese intact.
  await page.goto(`/admin/leads?tag=fair${stamp}`);
  await expect(page.locator(".count").first()).toHaveText("1,201 leads");
  await page.goto(`/admin/leads?q=${encodeURIComponent(`张伟 ${stamp}`)}`);
  await expect(page.getByRole("row", { name: new RegExp(`张伟 ${stamp}`) })).toContainText("Sany");
});
