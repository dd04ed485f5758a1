// Prints what each side of Roadshow sends a browser, brotli-compressed at the quality the
// release build precompresses with, and fails above the budgets (see size-budget.sh).
import { readFileSync } from "node:fs";
import { brotliCompressSync, constants } from "node:zlib";

const [pkg, guestScript] = process.argv.slice(2);
const brotli = (file) => {
  const bytes = readFileSync(file);
  const packed = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
  return { raw: bytes.length, br: packed.length };
};
const budgets = [
  { side: "guest pages (guest script)", files: [guestScript], budget: 60 * 1024 },
  { side: "organizer first load (loader + WASM)", files: [`${pkg}/roadshow.js`, `${pkg}/roadshow_bg.opt.wasm`], budget: 450 * 1024 },
];
let over = false;
for (const { side, files, budget } of budgets) {
  const sizes = files.map(brotli);
  const raw = sizes.reduce((sum, s) => sum + s.raw, 0);
  const br = sizes.reduce((sum, s) => sum + s.br, 0);
  const verdict = br <= budget ? "ok" : "OVER BUDGET";
  console.log(`${side}: ${br.toLocaleString("en")} B brotli (${raw.toLocaleString("en")} B raw), budget ${budget.toLocaleString("en")} B: ${verdict}`);
  over ||= br > budget;
}
process.exit(over ? 1 : 0);
