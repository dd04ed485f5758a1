import { expect, test } from "./fixtures";

import { signIn } from "./sign-in";

test.use({ locale: "en-GB" });

test("an organizer writes a template, previews it, adds a rule and sends a campaign a guest unsubscribes from", async ({
  page,
  browser,
}) => {
  await signIn(page);
  const stamp = Date.now().toString(36);
  const name = `Li Na ${stamp}`;

  // A lead to write to, tagged so that a campaign can pick it alone.
  await page.goto("/admin/leads/new");
  await page.waitForSelector('body[data-hydrated="true"]');
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Email", { exact: true }).fill(`li.${stamp}@example.com`);
  await page.getByLabel("Company", { exact: true }).fill("Xiangtan Motors");
  await page.getByRole("button", { name: "Save lead" }).click();
  await expect(page.getByRole("status")).toContainText("Lead saved");
  await page.getByRole("link", { name: /Open #\d+/ }).click();
  await page.waitForSelector('body[data-hydrated="true"]');
  await page.getByLabel("Tags (comma-separated)").fill(`t${stamp}`);
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("status")).toHaveText("Saved");

  // A template: an unknown merge field is named as soon as it is typed, and refused.
  await page.goto("/admin/follow-ups?template=new");
  await page.waitForSelector('body[data-hydrated="true"]');
  await page.getByLabel("Template name").fill(`Invitation ${stamp}`);
  await page.getByLabel("Subject (Chinese)").fill("{{name}}，诚邀您");
  await page.getByLabel("Body in Chinese (Markdown)").fill("{{name}}您好：\n\n感谢**{{company}}**。");
  await page.getByLabel("Subject (English)").fill("{{name}}, you are invited");
  await page.getByLabel("Body in English (Markdown)").fill("Dear {{first_name}}");
  await page.getByLabel("Subject (English)").click();
  await expect(page.locator("#e-body_en")).toHaveText("There is no merge field {{first_name}}");
  await page.getByLabel("Body in English (Markdown)").fill("Dear {{name}},\n\nThank you, **{{company}}**.\n\n{{signature}}");
  await page.getByRole("button", { name: "Save template" }).click();
  await expect(page.getByRole("status")).toHaveText("Saved");

  // The preview for the real lead, in the language she prefers (the one the capture page was in).
  await page.goto("/admin/follow-ups");
  await page.waitForSelector('body[data-hydrated="true"]');
  await page.getByRole("link", { name: `Invitation ${stamp}` }).click();
  await page.locator("#preview-lead").selectOption({ label: `${name} · li.${stamp}@example.com` });
  await page.locator("#preview-button").click();
  await expect(page.locator(".preview-subject")).toHaveText(`${name}, you are invited`);
  await expect(page.locator(".preview-text")).toContainText("Thank you, **Xiangtan Motors**.");
  expect(await page.locator(".preview-html").getAttribute("srcdoc")).toContain("<strong>Xiangtan Motors</strong>");

  // A thank-you rule on a stop, then paused.
  await page.locator("summary", { hasText: "New rule" }).click();
  await page.locator('select[name="form[event_id]"]').selectOption({ index: 1 });
  await page.locator('select[name="form[template_id]"]').selectOption({ label: `Invitation ${stamp}` });
  await page.locator('select[name="form[trigger]"]').selectOption("thank_you");
  await page.getByLabel("Hours before or after").fill("2");
  await page.getByRole("button", { name: "Add rule" }).click();
  const rule = page.locator("table.rules tbody tr").last();
  await expect(rule).toContainText("Thank-you after the end (guests who checked in) · 2 h");
  await rule.getByRole("button", { name: "Pause" }).click();
  await expect(page.locator("table.rules tbody tr").last().locator(".badge")).toHaveText("Paused");

  // A campaign to the leads the list shows (here the tagged one): its audience counted
  // first, sent now.
  await page.goto(`/admin/leads?tag=t${stamp}`);
  await page.waitForSelector('body[data-hydrated="true"]');
  await page.getByRole("link", { name: "Email these leads" }).click();
  await expect(page.getByLabel("Tag", { exact: true })).toHaveValue(`t${stamp}`);
  await expect(page.locator(".audience")).toContainText("Will reach 1");
  await page.getByLabel("Name", { exact: true }).fill(`Spring ${stamp}`);
  await page.locator('select[name="form[template_id]"]').selectOption({ label: `Invitation ${stamp}` });
  await page.getByRole("button", { name: "Send", exact: true }).click();
  const sent = page.getByRole("row", { name: new RegExp(`Spring ${stamp}`) });
  await expect(sent).toContainText("Sent");
  await sent.getByRole("link", { name: `Spring ${stamp}` }).click();
  await expect(page.locator(".campaign-progress .count")).toContainText("1 / 1 · 1 delivered", { timeout: 20_000 });

  // The email as she receives it carries an unsubscribe link; on a phone it opens a page
  // that changes nothing until its button is pressed.
  await page.goto("/admin/outbox");
  await page.getByRole("link", { name: `${name}, you are invited` }).first().click();
  const text = await page.locator("pre.mail-text").first().innerText();
  const link = text.match(/https?:\/\/\S+\/unsubscribe\/[0-9a-f]{32}/)![0];
  const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: "zh-CN" });
  const guest = await phone.newPage();
  await guest.goto(new URL(link).pathname);
  await expect(guest.getByRole("heading", { name: "退订推广邮件" })).toBeVisible();
  const fits = await guest.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  expect(fits, "the unsubscribe page fits 360 px").toBe(true);
  await guest.getByRole("button", { name: "退订" }).click();
  await expect(guest.getByRole("status")).toHaveText("您已退订，不会再收到我们的推广邮件。报名确认等事务邮件仍会发送。");
  await phone.close();

  // The next campaign to her skips her.
  await page.goto("/admin/campaigns");
  await page.waitForSelector('body[data-hydrated="true"]');
  await page.getByLabel("Tag", { exact: true }).fill(`t${stamp}`);
  await page.getByLabel("Tag", { exact: true }).blur();
  await expect(page.locator(".audience")).toContainText("Will reach 0");
});
