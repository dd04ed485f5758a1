import type { APIResponse, Page } from "@playwright/test";

import { expect, test } from "./fixtures";
import { signIn } from "./sign-in";

// What an attacker types into every field an organizer or a guest can fill. Every page that
// shows it, and every email it reaches, must show it as text: no dialog opens, no element it
// describes appears, and the page's security policy never has to refuse anything.
const SCRIPT = '</title><script>alert("script")</script>';
const IMG = '"><img src=x onerror=alert("img")>';
const TEXTAREA = "</textarea><svg/onload=alert(\"svg\")>";
const JS_URL = 'javascript:alert("url")';
const TEMPLATE = "{{signature}} {{#if admin}} ${7*7} {% raw %}";
const RLO = "\u202Egnp.exe";
/** All of them in one string (about 130 characters), for fields that take that much. */
const MIX = `${SCRIPT}${IMG}${TEMPLATE}${RLO}`;
const SHORT = IMG; // for fields of 60 characters
const LONG = "长".repeat(10_000);

type Form = Record<string, string>;

/** A server function called as the page's own forms call it; the JSON answer. */
async function call(page: Page, endpoint: string, form: Form): Promise<APIResponse> {
  return page.request.post(`/api/${endpoint}`, { form });
}

async function created(page: Page, endpoint: string, form: Form): Promise<number> {
  const response = await call(page, endpoint, form);
  expect(response.status(), `${endpoint}: ${await response.text()}`).toBe(200);
  return Number(await response.json());
}

/** A 10,000-character text in every text field: refused field by field with a 4xx. */
async function refusedByField(page: Page, endpoint: string, form: Form, longFields: string[]) {
  const long = { ...form };
  for (const field of longFields) long[field] = LONG;
  const response = await call(page, endpoint, long);
  expect(response.status(), `${endpoint} with 10,000 characters: ${await response.text()}`).toBe(422);
  const body = await response.json();
  const named = (body.Invalid?.errors ?? []).map((e: { field: string }) => e.field);
  expect(named.length, `${endpoint}: ${JSON.stringify(body)}`).toBeGreaterThan(0);
  for (const field of named) {
    expect(longFields.map((f) => f.replace(/^form\[(.*)\]$/, "$1")), `${endpoint}`).toContain(field);
  }
}

/** What the current document holds that an injection would have made. */
async function injected(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    for (const el of Array.from(document.querySelectorAll("*"))) {
      for (const attr of Array.from(el.attributes)) {
        if (attr.name.startsWith("on")) found.push(`<${el.localName} ${attr.name}>`);
        if (/^(href|src|action|formaction)$/.test(attr.name) && /^\s*javascript:/i.test(attr.value)) {
          found.push(`<${el.localName} ${attr.name}="${attr.value}">`);
        }
      }
      // The payload's own script element (data scripts may hold the text inside a string).
      if (el.localName === "script" && /^\s*alert\(/.test(el.textContent ?? "")) found.push("<script>alert…");
      if (el.localName === "img" && el.getAttribute("src") === "x") found.push("<img src=x>");
    }
    return found;
  });
}

async function check(page: Page, path: string, shows?: string) {
  await page.goto(path);
  await page.waitForLoadState("networkidle");
  expect(await injected(page), path).toEqual([]);
  if (shows) await expect(page.locator("body"), path).toContainText(shows);
}

test.use({ locale: "en-GB" });

test("text typed to attack every field stays text on every page and in every email", async ({ page, browser }) => {
  test.setTimeout(240_000);
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(`${page.url()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await signIn(page);

  // The organizer's side, through the same server functions the forms post to.
  const roadshowForm = { "form[name]": MIX, "form[year]": "2031", "form[description]": `${TEXTAREA}\n\n[x](${JS_URL})` };
  const roadshow = await created(page, "roadshows/create", roadshowForm);
  await refusedByField(page, "roadshows/create", roadshowForm, ["form[name]", "form[description]"]);
  const slug = `injection-${Date.now().toString(36)}`;
  const eventForm: Form = {
    "form[slug]": slug,
    "form[title_zh]": MIX,
    "form[title_en]": MIX,
    "form[description_zh]": `${TEXTAREA} ${SCRIPT}`,
    "form[description_en]": `${IMG}\n\n[map](${JS_URL}) <a href="${JS_URL}">y</a> ${RLO}`,
    "form[city]": MIX.slice(0, 100),
    "form[country]": "DE",
    "form[region]": SHORT,
    "form[venue_name]": MIX,
    "form[venue_address]": `${TEXTAREA}${SCRIPT}`,
    "form[time_zone]": "Europe/Berlin",
    "form[starts_local]": "2031-03-15T14:00",
    "form[ends_local]": "2031-03-15T17:30",
    "form[capacity]": "50",
    "form[visibility]": "public",
    "form[roadshow_id]": String(roadshow),
    "form[industry_chains][advanced-equipment]": "on",
    "form[agenda]": `14:00 | ${SCRIPT} | ${IMG}`,
  };
  const event = await created(page, "events/create", eventForm);
  await refusedByField(page, "events/create", { ...eventForm, "form[slug]": `${slug}-long` }, [
    "form[title_zh]",
    "form[title_en]",
    "form[city]",
    "form[region]",
    "form[venue_name]",
    "form[venue_address]",
  ]);
  expect((await call(page, "events/status", { id: String(event), status: "published" })).status()).toBe(200);
  await created(page, "questions/add", {
    event_id: String(event),
    "form[kind]": "long_text",
    "form[label_zh]": MIX,
    "form[label_en]": MIX,
  });
  await created(page, "questions/add", {
    event_id: String(event),
    "form[kind]": "single_choice",
    "form[label_zh]": SCRIPT,
    "form[label_en]": SCRIPT,
    "form[options]": `${IMG}\n${TEXTAREA}`,
  });

  // A guest registers on a phone, typing the same text into every field.
  const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, locale: "en-GB" });
  const guest = await phone.newPage();
  guest.on("dialog", (dialog) => {
    dialogs.push(`${guest.url()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await check(guest, `/e/${slug}`);
  await expect(guest.getByRole("heading", { level: 1 })).toHaveText(MIX);
  await expect(guest).toHaveTitle(MIX);
  await guest.getByLabel("Name", { exact: true }).fill(MIX);
  await guest.getByLabel("Email", { exact: true }).fill("attacker@example.com");
  await guest.getByLabel("Company (optional)", { exact: true }).fill(JS_URL);
  await guest.getByLabel("Job title (optional)", { exact: true }).fill(IMG);
  await guest.locator("textarea[name^='form[answers]']").fill(`${TEXTAREA}${SCRIPT}`);
  await guest.getByRole("radio", { name: IMG }).check();
  await guest.getByText("I agree that the organizer processes").click();
  await guest.getByText("Send me emails about later events").click();
  await guest.getByRole("button", { name: "Register" }).click();
  await expect(guest.getByText("You are registered.")).toBeVisible();
  const manage = new URL(guest.url()).pathname;
  expect(manage).toMatch(/^\/r\//);
  await check(guest, manage, MIX);
  // Reloaded, the private page's form holds the answer as text, whole.
  await expect(guest.locator("textarea[name^='form[answers]']")).toHaveValue(`${TEXTAREA}${SCRIPT}`);
  await check(guest, `/roadshow/${roadshow}`, MIX);
  await check(guest, "/");
  await phone.close();

  // Leads, a project, a note, a member, a template and a campaign.
  const leadForm = {
    "form[name]": MIX,
    "form[email]": "lead.attack@example.com",
    "form[job_title]": IMG,
    "form[company]": JS_URL,
    "form[sector]": SHORT,
    "form[language]": "en",
    "form[tags]": `"><svg/onload=alert(9)> injection`,
    "form[notes]": `${TEXTAREA}${MIX}`,
  };
  const lead = await created(page, "leads/capture", { event_id: String(event), ...leadForm });
  await refusedByField(page, "leads/capture", { ...leadForm, "form[email]": "long@example.com" }, [
    "form[name]",
    "form[job_title]",
    "form[company]",
    "form[sector]",
  ]);
  expect((await call(page, "leads/note", { id: String(lead), note: `${TEXTAREA}${MIX}` })).status()).toBe(200);
  expect(
    (
      await call(page, "leads/project", {
        lead_id: String(lead),
        project_id: "",
        "form[name]": MIX,
        "form[industry_chain]": "advanced-equipment",
        "form[location]": SHORT,
        "form[planned_investment]": "12.5",
        "form[signed_on]": "",
      })
    ).status(),
  ).toBe(200);
  expect(
    (
      await call(page, "members/add", {
        "form[name]": MIX,
        "form[email]": `member.${slug}@example.com`,
        "form[password]": "a long enough password",
        "form[role]": "viewer",
      })
    ).status(),
  ).toBe(200);
  const templateForm = {
    "form[name]": MIX,
    "form[subject_zh]": `{{name}} ${SCRIPT}`,
    "form[body_zh]": `{{name}} ${TEXTAREA}`,
    "form[subject_en]": `{{name}} ${SCRIPT}`,
    "form[body_en]": `Dear {{name}} ${SCRIPT}\n\n[site]({{company}}) [x](${JS_URL})\n\n<img src=x onerror=alert("md")>`,
  };
  // Template-language text that is not one of ours is refused by field, not run.
  const unknown = await call(page, "follow-ups/template", { ...templateForm, "form[body_en]": TEMPLATE });
  expect(unknown.status()).toBe(422);
  const template = await created(page, "follow-ups/template", templateForm);
  const campaign = await created(page, "campaigns/create", {
    "form[name]": MIX,
    "form[template_id]": String(template),
    "form[filter][tag]": "injection",
    "form[send_at_local]": "",
    "form[time_zone]": "Asia/Shanghai",
  });

  // Every organizer page that shows them.
  for (const [path, shows] of [
    ["/admin", MIX],
    [`/admin?q=${encodeURIComponent("script")}`, undefined],
    [`/admin/events/${event}`, undefined],
    [`/admin/events/new?from=${event}`, undefined],
    [`/admin/events/${event}/registrations`, MIX],
    [`/admin/events/${event}/check-in`, MIX],
    [`/admin/events/${event}/questions`, MIX],
    [`/admin/events/${event}/capture`, undefined],
    ["/admin/leads", MIX],
    ["/admin/leads?tag=injection", MIX],
    ["/admin/leads/board", undefined],
    [`/admin/leads/${lead}`, MIX],
    ["/admin/roadshows", MIX],
    [`/admin/roadshows/${roadshow}`, MIX],
    ["/admin/follow-ups", MIX],
    [`/admin/follow-ups?template=${template}`, undefined],
    ["/admin/campaigns", MIX],
    [`/admin/campaigns/${campaign}`, MIX],
    ["/admin/members", MIX],
    ["/admin/outbox", undefined],
  ] as const) {
    await check(page, path, shows);
  }
  // The edit form's fields hold the stored text itself, as a reload shows it.
  await page.goto(`/admin/events/${event}`);
  await expect(page.locator("textarea[name='form[description_zh]']")).toHaveValue(`${TEXTAREA} ${SCRIPT}`);
  await expect(page.locator("input[name='form[title_en]']")).toHaveValue(MIX);
  // An organizer page's title is set once its data has loaded (after hydration): wait for it.
  await expect.poll(() => page.title()).toContain(MIX);
  await page.goto(`/admin/leads/${lead}`);
  await expect(page.locator("textarea[name='form[notes]']")).toHaveValue(`${TEXTAREA}${MIX}`);

  // The emails these made: the guest's confirmation and the campaign. Parsed by the
  // browser, their HTML parts hold no live markup of the attacker's.
  await expect
    .poll(async () => {
      await page.goto("/admin/outbox");
      return page.locator("a[href^='/admin/outbox/']").count();
    })
    .toBeGreaterThan(1);
  const messages = await page
    .locator("a[href^='/admin/outbox/']")
    .evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? "").slice(0, 20));
  let ours = 0;
  for (const message of messages) {
    await check(page, message);
    const html = await page.locator("iframe.mail-html").getAttribute("srcdoc");
    if (!html?.includes("alert(")) continue;
    ours += 1;
    const parsed = await page.evaluate((source) => {
      const doc = new DOMParser().parseFromString(source, "text/html");
      const all = Array.from(doc.querySelectorAll("*"));
      return {
        scripts: doc.querySelectorAll("script, svg, iframe, object, embed").length,
        handlers: all.flatMap((el) => Array.from(el.attributes).filter((a) => a.name.startsWith("on")).map((a) => a.name)),
        links: all
          .flatMap((el) => ["href", "src"].map((name) => el.getAttribute(name) ?? ""))
          .filter((value) => /^\s*javascript:/i.test(value)),
        text: doc.body.textContent ?? "",
      };
    }, html);
    expect(parsed.scripts, message).toBe(0);
    expect(parsed.handlers, message).toEqual([]);
    expect(parsed.links, message).toEqual([]);
    expect(parsed.text, message).toContain(SCRIPT);
  }
  expect(ours, "the confirmation and the campaign email").toBeGreaterThanOrEqual(2);
  expect(dialogs).toEqual([]);
});
