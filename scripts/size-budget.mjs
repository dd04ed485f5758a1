// Prints what each side of Roadshow sends a browser, brotli-compressed at the quality the
// release build precompresses with, and fails above a budget (see size-budget.sh).
// A guest's page loads the guest script only. The organizer's WASM is split by area
// (`app::routes`): opening the organizer area (`/admin`, the overview area) loads the JS
// loader, the main module, the split loader and the pieces the overview's code needs (the
// split manifest lists them); every other area loads its own pieces when first shown.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants } from "node:zlib";

const [pkg, guestScript] = process.argv.slice(2);
const KB = 1024;
const GUEST_BUDGET = 60 * KB;
const FIRST_LOAD_BUDGET = 450 * KB;
// An area opened first (a bookmarked lead, say) loads the main module and that area's
// pieces: a ceiling so that no area grows unnoticed.
const AREA_CEILING = 700 * KB;
const LANDING_AREA = "overview";

const sizes = new Map();
const brotli = (file) => {
  if (!sizes.has(file)) {
    const bytes = readFileSync(file);
    const packed = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
    sizes.set(file, { raw: bytes.length, br: packed.length });
  }
  return sizes.get(file);
};
const total = (files) => files.map(brotli).reduce((sum, s) => ({ raw: sum.raw + s.raw, br: sum.br + s.br }), { raw: 0, br: 0 });
const n = (bytes) => bytes.toLocaleString("en");

let over = false;
const check = (label, files, budget, extra = "") => {
  const { raw, br } = total(files);
  const ok = br <= budget;
  over ||= !ok;
  console.log(`${label}: ${n(br)} B brotli (${n(raw)} B raw, ${files.length} files); budget ${n(budget)} B: ${ok ? "ok" : "OVER BUDGET"}${extra}`);
};

check("guest pages (the guest script)", [guestScript], GUEST_BUDGET);

const manifestFile = join(pkg, "__wasm_split_manifest.json");
if (!existsSync(manifestFile)) {
  console.log(`no ${manifestFile}: the WASM was built without --split`);
  process.exit(1);
}
const manifest = JSON.parse(readFileSync(manifestFile, "utf8"));
const main = ["roadshow.js", "roadshow.wasm", readdirSync(pkg).find((f) => f.startsWith("__wasm_split.") && f.endsWith(".js"))].map((f) => join(pkg, f));
// An area's key is `<area>_<hash>`; its own module is `split_<key>.wasm`.
const areas = Object.entries(manifest).map(([key, chunks]) => ({
  area: key.replace(/_\d+$/, ""),
  files: [join(pkg, `split_${key}.wasm`), ...chunks.map((c) => join(pkg, `${c}.wasm`))],
}));
const landing = areas.find((a) => a.area === LANDING_AREA);
if (!landing) {
  console.log(`no area "${LANDING_AREA}" in ${manifestFile}`);
  process.exit(1);
}
const firstLoad = [...main, ...landing.files];
check("organizer first load (/admin: loader, main module, the overview area)", firstLoad, FIRST_LOAD_BUDGET);
console.log(`  of which the main module and loaders: ${n(total(main).br)} B`);
for (const { area, files } of areas.filter((a) => a !== landing).sort((a, b) => a.area.localeCompare(b.area))) {
  const after = files.filter((f) => !landing.files.includes(f));
  check(`  area "${area}" opened first`, [...main, ...files], AREA_CEILING, `; after /admin it adds ${n(total(after).br)} B in ${after.length} files`);
}
const everything = readdirSync(pkg).filter((f) => f.endsWith(".wasm") || f.endsWith(".js")).map((f) => join(pkg, f));
console.log(`all of the organizer's code: ${n(total(everything).br)} B brotli in ${everything.length} files`);
process.exit(over ? 1 : 0);
