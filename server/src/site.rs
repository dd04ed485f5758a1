//! Where the site's files (WASM, JS, CSS, icons and their precompressed copies) are, so
//! that the binary starts on its own: under cargo-leptos its variables say it; started
//! alone it finds `site/` beside itself (`/opt/roadshow/server` + `/opt/roadshow/site/`)
//! or one folder up (`target/release/server` + `target/site/`), and hashed file names
//! when the build left `hash.txt` beside it.

use std::path::{Path, PathBuf};

use leptos::prelude::LeptosOptions;

/// The name cargo-leptos gives the site's JS and WASM (`output-name` in `Cargo.toml`).
pub const OUTPUT_NAME: &str = "roadshow";
const HASH_FILE: &str = "hash.txt";

/// The Leptos options to serve with. `LEPTOS_*` variables win (cargo-leptos sets them);
/// `LEPTOS_SITE_ADDR` or `addr` says where to listen.
pub fn options(addr: Option<std::net::SocketAddr>) -> anyhow::Result<LeptosOptions> {
    let exe_dir = std::env::current_exe().ok().and_then(|exe| exe.parent().map(Path::to_path_buf)).unwrap_or_default();
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let site_root = match var("LEPTOS_SITE_ROOT") {
        Some(root) => PathBuf::from(root),
        None => find_site(&exe_dir, &std::env::current_dir().unwrap_or_default()).ok_or_else(|| {
            anyhow::anyhow!(
                "the site's files were not found: put the build's site/ folder beside the binary ({}), \
                 or set LEPTOS_SITE_ROOT",
                exe_dir.join("site").display()
            )
        })?,
    };
    let hash_files = match var("LEPTOS_HASH_FILES") {
        Some(v) => v.parse().map_err(|e| anyhow::anyhow!("LEPTOS_HASH_FILES: {e}"))?,
        None => exe_dir.join(HASH_FILE).is_file(),
    };
    let site_addr = match (addr, var("LEPTOS_SITE_ADDR")) {
        (Some(addr), _) => addr,
        (None, Some(v)) => v.parse().map_err(|e| anyhow::anyhow!("LEPTOS_SITE_ADDR {v}: {e}"))?,
        (None, None) => std::net::SocketAddr::from(([127, 0, 0, 1], 3000)),
    };
    Ok(LeptosOptions::builder()
        .output_name(var("LEPTOS_OUTPUT_NAME").unwrap_or_else(|| OUTPUT_NAME.into()))
        .site_root(site_root.to_string_lossy().into_owned())
        .site_pkg_dir(var("LEPTOS_SITE_PKG_DIR").unwrap_or_else(|| "pkg".into()))
        .hash_files(hash_files)
        .site_addr(site_addr)
        .env(match var("LEPTOS_ENV").as_deref() {
            Some("DEV" | "dev" | "development") => leptos::config::Env::DEV,
            _ => leptos::config::Env::PROD,
        })
        .build())
}

/// The first of `<exe>/site`, `<exe>/../site` and `./target/site` holding the package folder.
fn find_site(exe_dir: &Path, working_dir: &Path) -> Option<PathBuf> {
    let candidates = [exe_dir.join("site"), exe_dir.join("../site"), working_dir.join("target/site")];
    candidates.into_iter().find(|dir| dir.join("pkg").is_dir()).map(|dir| dir.canonicalize().unwrap_or(dir))
}

/// What a started server needs of the site, for `check`: the package folder, and the
/// JS and WASM the hash file names.
pub fn verify(options: &LeptosOptions) -> anyhow::Result<String> {
    let pkg = Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
    anyhow::ensure!(pkg.is_dir(), "no package folder at {}", pkg.display());
    let css = pkg.join(format!("{}.css", options.output_name));
    let any_css =
        std::fs::read_dir(&pkg)?.filter_map(Result::ok).any(|e| e.file_name().to_string_lossy().ends_with(".css"));
    anyhow::ensure!(css.is_file() || any_css, "no stylesheet in {}", pkg.display());
    Ok(format!("{} (hashed names: {})", Path::new(options.site_root.as_ref()).display(), options.hash_files))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_site_is_found_beside_the_binary_or_one_folder_up() {
        let root = tempfile::tempdir().unwrap();
        let (beside, up) = (root.path().join("opt"), root.path().join("target"));
        std::fs::create_dir_all(beside.join("site/pkg")).unwrap();
        std::fs::create_dir_all(up.join("release")).unwrap();
        std::fs::create_dir_all(up.join("site/pkg")).unwrap();
        let elsewhere = root.path().join("elsewhere");
        std::fs::create_dir_all(&elsewhere).unwrap();
        assert_eq!(find_site(&beside, &elsewhere).unwrap(), beside.join("site").canonicalize().unwrap());
        assert_eq!(find_site(&up.join("release"), &elsewhere).unwrap(), up.join("site").canonicalize().unwrap());
        assert_eq!(find_site(&elsewhere, &root.path().join("nowhere")), None);
    }
}
