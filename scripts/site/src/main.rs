//! `site <frontend.wasm> <pkg dir> <output name>`: what cargo-leptos does to the frontend's
//! WASM in a debug build (split off the lazy routes, then wasm-bindgen for the web, the
//! WASM renamed as Leptos's hydration script asks for it), done by the two libraries
//! cargo-leptos itself calls. `make run` builds this instead of installing cargo-leptos
//! and wasm-bindgen-cli: a first run on a fresh machine compiles a fraction of them.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

/// The module the split chunks import their loader from, as cargo-leptos names it.
const SPLIT_LOADER: &str = "./__wasm_split.______________________.js";

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, pkg, name] = args.as_slice() else {
        bail!("usage: site <frontend.wasm> <pkg dir> <output name>");
    };
    let (input, pkg) = (Path::new(input), Path::new(pkg));
    fs::create_dir_all(pkg).with_context(|| format!("creating {}", pkg.display()))?;
    let split = split(input, pkg, name)?;
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&split)
        .web(true)?
        .keep_lld_exports(true)
        .demangle(false)
        .out_name(name)
        .generate(pkg)
        .context("wasm-bindgen")?;
    let (bound, wasm) = (pkg.join(format!("{name}_bg.wasm")), pkg.join(format!("{name}.wasm")));
    fs::rename(&bound, &wasm).with_context(|| format!("renaming {}", bound.display()))?;
    println!("{}: {} B of WASM", wasm.display(), fs::metadata(&wasm)?.len());
    Ok(())
}

/// Splits the lazy routes into their own chunks beside the main module, with the manifest
/// the server reads to preload them; returns the main module's path.
fn split(input: &Path, pkg: &Path, name: &str) -> anyhow::Result<PathBuf> {
    let wasm = fs::read(input).with_context(|| format!("reading {}", input.display()))?;
    let stem = input.file_stem().and_then(|s| s.to_str()).context("the input has no file name")?;
    let main_out = input.with_file_name(format!("{stem}_split.wasm"));
    let main_module = format!("./{name}.js");
    let split = wasm_split_cli_support::transform({
        let mut options = wasm_split_cli_support::Options::new(&wasm);
        options.output_dir = pkg;
        options.main_out_path = &main_out;
        options.main_module = &main_module;
        options.link_name = SPLIT_LOADER;
        options
    })
    .map_err(|e| anyhow::anyhow!("splitting {}: {e}", input.display()))?;
    let manifest = serde_json::to_string_pretty(&split.prefetch_map)?;
    fs::write(pkg.join("__wasm_split_manifest.json"), manifest)?;
    Ok(main_out)
}
