//! `/api/v1/docs`: the OpenAPI document as a page a person reads, made on the server from
//! the same document (no script, so it obeys the site's content policy and works anywhere).

use std::fmt::Write;
use std::sync::LazyLock;

use app::html::escape;
use app::i18n::Lang;
use axum::http::HeaderMap;
use axum::response::Html;
use serde_json::Value;

use super::problem::lang_of;

fn text(v: &Value, key: &str) -> String {
    escape(v.get(key).and_then(Value::as_str).unwrap_or(""))
}

/// A schema's type as one short phrase: `string`, `array of Event`, `Event or null`.
fn type_of(schema: &Value) -> String {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let name = escape(reference.rsplit('/').next().unwrap_or(reference));
        return format!("<a href=\"#schema-{name}\">{name}</a>");
    }
    if let Some(any) = schema.get("oneOf").or_else(|| schema.get("anyOf")).and_then(Value::as_array) {
        return any.iter().map(type_of).collect::<Vec<_>>().join(" | ");
    }
    let kind = match schema.get("type") {
        Some(Value::String(t)) => t.clone(),
        Some(Value::Array(types)) => types.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(" | "),
        _ => "object".into(),
    };
    let kind = escape(&kind);
    match schema.get("items") {
        Some(items) => format!("{kind} of {}", type_of(items)),
        None => match schema.get("format").and_then(Value::as_str) {
            Some(format) => format!("{kind} ({})", escape(format)),
            None => kind,
        },
    }
}

pub async fn page(headers: HeaderMap) -> Html<String> {
    // The document never changes while the process runs: each language's page is made once.
    static PAGES: LazyLock<[String; 2]> = LazyLock::new(|| [render(Lang::Zh), render(Lang::En)]);
    Html(PAGES[usize::from(lang_of(&headers) == Lang::En)].clone())
}

fn render(lang: Lang) -> String {
    let pick = |zh: &'static str, en: &'static str| if lang == Lang::Zh { zh } else { en };
    let doc = serde_json::to_value(super::openapi()).unwrap_or_default();
    let mut out = String::new();
    let title = text(&doc["info"], "title");
    let _ = write!(
        out,
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" \
         content=\"width=device-width, initial-scale=1\"><title>{title}</title></head><body><main>\
         <h1>{title} v{}</h1><p>{}</p><p><a href=\"/api/v1/openapi.json\">openapi.json</a> (OpenAPI {})</p>",
        lang.code(),
        text(&doc["info"], "version"),
        text(&doc["info"], "description"),
        text(&doc, "openapi"),
    );
    let _ = write!(out, "<h2>{}</h2>", pick("接口", "Operations"));
    if let Some(paths) = doc["paths"].as_object() {
        for (path, item) in paths {
            let Some(methods) = item.as_object() else { continue };
            for (method, op) in methods {
                let _ = write!(
                    out,
                    "<section><h3><code>{} /api/v1{}</code></h3><p>{}</p>",
                    escape(&method.to_uppercase()),
                    escape(path),
                    text(op, "description"),
                );
                if let Some(params) = op["parameters"].as_array().filter(|p| !p.is_empty()) {
                    let _ = write!(
                        out,
                        "<table><caption>{}</caption><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
                        pick("参数", "Parameters"),
                        pick("名称", "Name"),
                        pick("位置", "In"),
                        pick("类型", "Type"),
                        pick("说明", "Description"),
                    );
                    for p in params {
                        let required = if p["required"].as_bool() == Some(true) { " *" } else { "" };
                        let _ = write!(
                            out,
                            "<tr><td><code>{}</code>{required}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                            text(p, "name"),
                            text(p, "in"),
                            type_of(&p["schema"]),
                            text(p, "description"),
                        );
                    }
                    out.push_str("</tbody></table>");
                }
                if let Some(body) = op["requestBody"]["content"]["application/json"]["schema"].as_object() {
                    let _ = write!(out, "<p>{}: {}</p>", pick("请求体", "Body"), type_of(&Value::Object(body.clone())));
                }
                if let Some(responses) = op["responses"].as_object() {
                    out.push_str("<ul>");
                    for (status, response) in responses {
                        let schema = response["content"]
                            .as_object()
                            .and_then(|c| c.values().next())
                            .map(|c| type_of(&c["schema"]))
                            .unwrap_or_default();
                        let _ = write!(out, "<li><code>{}</code> {schema}</li>", escape(status));
                    }
                    out.push_str("</ul>");
                }
                out.push_str("</section>");
            }
        }
    }
    let _ = write!(out, "<h2>{}</h2>", pick("数据结构", "Schemas"));
    if let Some(schemas) = doc["components"]["schemas"].as_object() {
        for (name, schema) in schemas {
            let name = escape(name);
            let _ = write!(out, "<section id=\"schema-{name}\"><h3>{name}</h3><p>{}</p>", text(schema, "description"));
            if let Some(props) = schema["properties"].as_object() {
                let required: Vec<&str> = schema["required"]
                    .as_array()
                    .map(|r| r.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                let _ = write!(
                    out,
                    "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
                    pick("字段", "Field"),
                    pick("类型", "Type"),
                    pick("说明", "Description"),
                );
                for (field, prop) in props {
                    let mark = if required.contains(&field.as_str()) { " *" } else { "" };
                    let _ = write!(
                        out,
                        "<tr><td><code>{}</code>{mark}</td><td>{}</td><td>{}</td></tr>",
                        escape(field),
                        type_of(prop),
                        text(prop, "description"),
                    );
                }
                out.push_str("</tbody></table>");
            }
            out.push_str("</section>");
        }
    }
    out.push_str("</main></body></html>");
    out
}
