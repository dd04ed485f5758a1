import { type Browser, type BrowserContext, expect, test as base } from "@playwright/test";

export { expect };

/**
 * Every browser test runs with its pages watched: a Content-Security-Policy violation (a
 * script, style, frame or connection the policy refused), a Permissions-Policy error
 * reported by Chromium, or a hydration warning of the organizer's WASM (the page the server
 * sent and the one the browser built differ) fails the test, in every browser context the
 * test opens.
 */
export const test = base.extend<{ policyWatch: void }>({
  policyWatch: [
    async ({ context, browser }, use) => {
      const reports: string[] = [];
      const watch = async (ctx: BrowserContext) => {
        ctx.on("console", (message) => {
          const text = message.text();
          if (/Content Security Policy|Permissions[- ]Policy|securitypolicyviolation|hydrat|panicked at/i.test(text)) {
            reports.push(`${message.location().url}: ${text}`);
          }
        });
        await ctx.addInitScript(() => {
          document.addEventListener("securitypolicyviolation", (e) =>
            console.error(`securitypolicyviolation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"}`),
          );
        });
      };
      await watch(context);
      const newContext = browser.newContext.bind(browser);
      (browser as Browser).newContext = async (options) => {
        const ctx = await newContext(options);
        await watch(ctx);
        return ctx;
      };
      await use();
      browser.newContext = newContext;
      expect(reports, "reports of the browser's security policies").toEqual([]);
    },
    { auto: true },
  ],
});
