//! Markdown descriptions rendered to HTML that is safe to show: ammonia removes
//! scripts, event handlers and `javascript:` links whatever the author typed.

pub fn to_safe_html(markdown: &str) -> String {
    let mut html = String::new();
    let parser = pulldown_cmark::Parser::new_ext(
        markdown,
        pulldown_cmark::Options::ENABLE_TABLES | pulldown_cmark::Options::ENABLE_STRIKETHROUGH,
    );
    pulldown_cmark::html::push_html(&mut html, parser);
    ammonia::Builder::default().link_rel(Some("noopener noreferrer nofollow")).clean(&html).to_string()
}

#[cfg(test)]
mod tests {
    use super::to_safe_html;

    #[test]
    fn formatting_survives() {
        let html = to_safe_html("**先进装备** and [site](https://example.com)");
        assert!(html.contains("<strong>先进装备</strong>"));
        assert!(html.contains("href=\"https://example.com\""));
    }

    #[test]
    fn no_script_survives() {
        let html = to_safe_html(
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n[x](javascript:alert(3))\n\n<a href=\"javascript:alert(4)\">y</a>",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("href=\"javascript:"), "{html}");
        assert!(html.contains("<img src=\"x\">"), "harmless markup stays: {html}");
    }
}
