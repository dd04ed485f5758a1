//! Text written into HTML. Every hand-built HTML string (emails, the unsubscribe answer)
//! escapes through [`escape`], and every page names its document title through
//! [`PageTitle`], because `leptos_meta` writes a `<Title>`'s text into the server-rendered
//! `<head>` as it is: a stored event title could otherwise close `<title>` and open a script.

use leptos::prelude::*;

/// The text with `& < > " '` written as character references: safe in element content
/// and in quoted attribute values.
pub fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The document's `<title>`. The only way the project sets one (clippy refuses
/// `leptos_meta::Title` elsewhere): on the server the text is escaped before
/// `leptos_meta` writes it into the head, and the browser, which reads the escaped text
/// back as the same characters, sets `document.title` to the text itself after hydration.
#[component]
pub fn PageTitle(#[prop(into)] text: String) -> impl IntoView {
    #[cfg(feature = "ssr")]
    let text = escape(&text);
    #[allow(clippy::disallowed_methods)]
    let title = view! { <leptos_meta::Title text/> };
    title
}

/// For pages whose URL carries a private token: the document sends no `Referer` at all,
/// also when the page was reached by a client-side navigation (the server's
/// `Referrer-Policy` header only covers a page loaded as a new document).
#[component]
pub fn NoReferrer() -> impl IntoView {
    view! { <leptos_meta::Meta name="referrer" content="no-referrer"/> }
}

/// The text a `<textarea>` starts with. Leptos writes a textarea's children into the
/// server-rendered page without escaping them (as for `<script>`), so a stored
/// `</textarea><img onerror=…>` would become markup; the browser, which makes a text node
/// of it and does not hydrate a textarea's children, takes the text as it is.
pub fn textarea_text(value: String) -> String {
    #[cfg(feature = "ssr")]
    let value = escape(&value);
    value
}

/// What `leptos::HydrationScripts` writes (the hints that preload the WASM and its loader,
/// and the module script that loads and hydrates it), with this response's nonce on the
/// hints as well as on the script: Leptos leaves it off the hints, and the security policy
/// allows scripts by nonce alone. With the WASM split by area it also preloads the split
/// loader, and tells the area's routes where their pieces are ([`preload_area`]): Leptos's
/// own preloads carry no nonce, so the policy would refuse the loader's.
#[cfg(feature = "ssr")]
#[component]
pub fn HydrationScripts(options: LeptosOptions) -> impl IntoView {
    let (js, wasm) = asset_names(&options);
    let pkg = format!("/{}", options.site_pkg_dir);
    let nonce = leptos::nonce::use_nonce();
    let split = SplitFiles::of_site(&options);
    let split_loader = split.map(|split| format!("{}/{}", split.pkg, split.loader));
    if let Some(split) = split {
        provide_context(split);
    }
    let load = format!(
        "import('{pkg}/{js}.js').then(m => m.default({{module_or_path: '{pkg}/{wasm}.wasm'}}).then(() => m.hydrate()));"
    );
    view! {
        <link rel="modulepreload" href=format!("{pkg}/{js}.js") nonce=nonce.clone()/>
        <link rel="preload" href=format!("{pkg}/{wasm}.wasm") r#as="fetch" r#type="application/wasm" crossorigin="" nonce=nonce.clone()/>
        {split_loader.map(|href| view! { <link rel="modulepreload" href=href nonce=nonce.clone()/> })}
        <script type="module" nonce=nonce>{load}</script>
    }
}

/// Where the organizer's WASM pieces are (`cargo leptos --split`, see `routes`): the split
/// loader and, per area, the files its code needs. Read once from the site's package folder;
/// `None` when the WASM was built without splitting.
#[cfg(feature = "ssr")]
#[derive(Debug)]
pub struct SplitFiles {
    pkg: String,
    loader: String,
    areas: std::collections::HashMap<String, Vec<String>>,
}

#[cfg(feature = "ssr")]
impl SplitFiles {
    /// Shared by every request (each page hands the same one to its routes, not a copy).
    fn of_site(options: &LeptosOptions) -> Option<&'static Self> {
        static FILES: std::sync::OnceLock<Option<SplitFiles>> = std::sync::OnceLock::new();
        FILES.get_or_init(|| Self::read(options)).as_ref()
    }

    fn read(options: &LeptosOptions) -> Option<Self> {
        let dir = std::path::Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
        let names: Vec<String> =
            std::fs::read_dir(&dir).ok()?.filter_map(|entry| entry.ok()?.file_name().into_string().ok()).collect();
        let named =
            |prefix: &str, suffix: &str| names.iter().find(|n| n.starts_with(prefix) && n.ends_with(suffix)).cloned();
        let loader = named("__wasm_split.", ".js")?;
        let manifest = std::fs::read_to_string(dir.join(named("__wasm_split_manifest", ".json")?)).ok()?;
        let manifest: std::collections::HashMap<String, Vec<String>> = serde_json::from_str(&manifest)
            .inspect_err(|e| tracing::error!("the WASM split manifest in {} cannot be read: {e}", dir.display()))
            .ok()?;
        // A key is `<area>_<hash>`; the area's own module is `split_<key>[.<file hash>].wasm`.
        let areas = manifest
            .into_iter()
            .map(|(key, chunks)| {
                let own = named(&format!("split_{key}."), ".wasm");
                let area = key.rsplit_once('_').map_or(key.as_str(), |(area, _)| area).to_string();
                (area, own.into_iter().chain(chunks.into_iter().map(|c| format!("{c}.wasm"))).collect())
            })
            .collect();
        Some(Self { pkg: format!("/{}", options.site_pkg_dir), loader, areas })
    }
}

/// Asks the browser to fetch an area's WASM pieces with the main module instead of after
/// it (called by the area's routes on the server; the links go into the page's head).
#[cfg(feature = "ssr")]
pub fn preload_area(area: &str) {
    use leptos_meta::Link;
    let Some(files) = use_context::<&'static SplitFiles>() else { return };
    for file in files.areas.get(area).into_iter().flatten() {
        // `crossorigin` as the split loader's `fetch` asks, so the browser reuses the answer.
        let link = view! { <Link rel="preload" href=format!("{}/{file}", files.pkg) as_="fetch" type_="application/wasm" crossorigin=""/> };
        let _ = link.to_html();
    }
}

/// The names of the JS loader and the WASM file (without extensions) as the build wrote
/// them: with their content hashes when the build hashes files (listed in the hash file
/// beside the server binary), as Leptos finds them.
#[cfg(feature = "ssr")]
fn asset_names(options: &LeptosOptions) -> (String, String) {
    let mut js = options.output_name.to_string();
    let mut wasm = js.clone();
    if options.hash_files {
        let path = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(std::path::Path::to_path_buf))
            .unwrap_or_default()
            .join(options.hash_file.as_ref());
        let hashes = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            tracing::error!("the hash file {} cannot be read ({e}): pages will not hydrate", path.display());
            String::new()
        });
        for (file, hash) in hashes.lines().filter_map(|line| line.split_once(':')) {
            match file.trim() {
                "js" => js = format!("{js}.{}", hash.trim()),
                "wasm" => wasm = format!("{wasm}.{}", hash.trim()),
                _ => {}
            }
        }
    } else if option_env!("LEPTOS_OUTPUT_NAME").is_none() {
        wasm.push_str("_bg");
    }
    (js, wasm)
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn markup_becomes_text() {
        assert_eq!(
            escape(r#"T</title><script>alert('6')</script> & "x""#),
            "T&lt;/title&gt;&lt;script&gt;alert(&#39;6&#39;)&lt;/script&gt; &amp; &quot;x&quot;"
        );
        assert_eq!(escape("湘商回归 \u{202e}"), "湘商回归 \u{202e}");
    }

    /// The split files as cargo-leptos writes them with content hashes: each area's own
    /// module found by its key, its shared pieces from the manifest, the loader by prefix.
    #[cfg(feature = "ssr")]
    #[test]
    fn split_files_are_found_by_area() {
        use leptos::prelude::LeptosOptions;
        let site = std::env::temp_dir().join(format!("roadshow-split-{}", std::process::id()));
        let pkg = site.join("pkg");
        std::fs::create_dir_all(&pkg).unwrap();
        for file in
            ["__wasm_split.Ab1.js", "split_overview_42.Cd2.wasm", "split_leads_42.Ef3.wasm", "roadshow.Gh4.wasm"]
        {
            std::fs::write(pkg.join(file), b"").unwrap();
        }
        std::fs::write(
            pkg.join("__wasm_split_manifest.Ij5.json"),
            r#"{"overview_42": ["chunk_1.Kl6", "chunk_2.Mn7"], "leads_42": ["chunk_2.Mn7"]}"#,
        )
        .unwrap();
        let options = LeptosOptions::builder()
            .output_name("roadshow")
            .site_root(site.to_string_lossy().to_string())
            .site_pkg_dir("pkg")
            .build();

        let files = super::SplitFiles::read(&options).expect("a split build");
        std::fs::remove_dir_all(&site).unwrap();

        assert_eq!(files.pkg, "/pkg");
        assert_eq!(files.loader, "__wasm_split.Ab1.js");
        assert_eq!(files.areas["overview"], ["split_overview_42.Cd2.wasm", "chunk_1.Kl6.wasm", "chunk_2.Mn7.wasm"]);
        assert_eq!(files.areas["leads"], ["split_leads_42.Ef3.wasm", "chunk_2.Mn7.wasm"]);
    }

    /// A build without `--split` has no manifest: no preloads, and nothing fails.
    #[cfg(feature = "ssr")]
    #[test]
    fn an_unsplit_build_has_no_split_files() {
        use leptos::prelude::LeptosOptions;
        let site = std::env::temp_dir().join(format!("roadshow-unsplit-{}", std::process::id()));
        std::fs::create_dir_all(site.join("pkg")).unwrap();
        std::fs::write(site.join("pkg").join("roadshow.wasm"), b"").unwrap();
        let options = LeptosOptions::builder()
            .output_name("roadshow")
            .site_root(site.to_string_lossy().to_string())
            .site_pkg_dir("pkg")
            .build();
        let files = super::SplitFiles::read(&options);
        std::fs::remove_dir_all(&site).unwrap();
        assert!(files.is_none());
    }
}
