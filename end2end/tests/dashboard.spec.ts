import { readFile } from "node:fs/promises";

import { expect, test } from "./fixtures";
import { signIn } from "./sign-in";

test.use({ locale: "en-GB" });

test("a leader on a phone reads the article's figures in Chinese, follows a unit's funds to its projects, and exports", async ({
  page,
  browser,
}) => {
  // The owner adds a leader, who reads and does not write.
  await signIn(page);
  const stamp = Date.now().toString(36);
  const email = `leader.${stamp}@example.com`;
  await page.goto("/admin/members");
  await page.waitForSelector('body[data-hydrated="true"]');
  await page.getByLabel("Name", { exact: true }).fill("Director Liu");
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill("leader-password-123");
  await page.getByLabel("Role").selectOption("leader");
  await page.getByRole("button", { name: "Add member" }).click();
  await expect(page.locator("table")).toContainText(email);

  const phone = await browser.newContext({
    viewport: { width: 360, height: 780 },
    locale: "zh-CN",
    isMobile: true,
    hasTouch: true,
    acceptDownloads: true,
  });
  const p = await phone.newPage();
  await p.goto("/login");
  await p.getByLabel("电子邮箱", { exact: true }).fill(email);
  await p.getByLabel("密码", { exact: true }).fill("leader-password-123");
  await p.getByRole("button", { name: "登录" }).click();
  await expect(p).toHaveURL(/\/admin$/);

  await p.goto("/admin/dashboard?from=2023-01-01&to=2023-08-31");
  await p.waitForSelector('body[data-hydrated="true"]');
  await expect(p.getByRole("heading", { name: "招商成效看板", level: 1 })).toBeVisible();
  const figure = (label: string) => p.locator(".figure", { has: p.getByText(label, { exact: true }) }).locator(".figure-value");
  await expect(figure("新签约项目")).toHaveText("653");
  await expect(figure("签约金额（亿元）")).toHaveText("2,250.15");
  await expect(figure("50亿元以上项目")).toHaveText("12");
  await expect(figure("100亿元以上项目")).toHaveText("2");
  await expect(figure("三类500强项目")).toHaveText("27");
  await expect(figure("到位资金（亿元）")).toHaveText("1,002.07");
  await expect(figure("湘商回归项目")).toHaveText("213");
  await expect(figure("湘商回归到位资金（亿元）")).toHaveText("491.40");
  await expect(figure("新注册企业")).toHaveText("69");
  await expect(figure("新注册企业到位资金（亿元）")).toHaveText("60.12");
  // Readable at 360 px: the page itself never scrolls sideways (wide tables scroll in place),
  // and every chart has a name.
  const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  const charts = p.locator("svg.chart");
  expect(await charts.count()).toBeGreaterThan(3);
  for (const chart of await charts.all()) {
    await expect(chart).toHaveAttribute("role", "img");
    expect(await chart.locator("title").textContent()).toBeTruthy();
  }
  // No write for a leader: no weights form.
  await expect(p.getByText("得分权重")).toHaveCount(0);

  // A unit's funds in place open its projects, summing to the figure.
  const unitFunds = p.getByRole("link", { name: "汨罗市 · 到位资金（亿元）", exact: true });
  const funds = (await unitFunds.textContent())?.trim() ?? "";
  expect(funds).toMatch(/^\d[\d,]*\.\d\d$/);
  await unitFunds.click();
  await expect(p.getByRole("heading", { name: "项目明细", level: 1 })).toBeVisible();
  await expect(p.locator("td.total-funds")).toHaveText(funds);
  await expect(p.locator("table.projects tbody tr").first()).toContainText("汨罗市");
  await p.getByRole("link", { name: "返回看板" }).click();
  await expect(p).toHaveURL(/\/admin\/dashboard\?from=2023-01-01&to=2023-08-31/);

  // The .xlsx workbook downloads; the printable page is one A4 document in Chinese.
  const [download] = await Promise.all([p.waitForEvent("download"), p.getByRole("link", { name: "导出 Excel（.xlsx）" }).click()]);
  expect(download.suggestedFilename()).toBe("dashboard-2023-01-01-2023-08-31.xlsx");
  const workbook = await readFile((await download.path()) ?? "");
  expect(workbook.subarray(0, 4).toString("latin1")).toBe("PK\u0003\u0004");
  expect(workbook.toString("utf8")).toContain("<v>2250.15</v>");
  const [csv] = await Promise.all([p.waitForEvent("download"), p.getByRole("link", { name: "导出 CSV" }).click()]);
  expect(csv.suggestedFilename()).toBe("dashboard-2023-01-01-2023-08-31.csv");
  const printable = await p.getByRole("link", { name: "打印版（A4）" }).getAttribute("href");
  const printed = await p.request.get(printable ?? "");
  expect(printed.status()).toBe(200);
  const html = await printed.text();
  expect(html).toContain("size: A4 landscape");
  expect(html).toContain("新签约项目");
  expect(html).toContain("653");
  // The dashboard itself prints without the navigation and forms.
  await p.emulateMedia({ media: "print" });
  await expect(p.locator("header.top")).toBeHidden();
  await expect(p.locator("form.scope")).toBeHidden();
  await expect(p.getByRole("heading", { name: "各单位目标完成排名" })).toBeVisible();
  await phone.close();
});
