//! Charts drawn on the server as SVG: readable before any WASM, scaled to the screen
//! (a `viewBox`, no fixed width), named for screen readers (`role="img"` with a title and
//! a description that states every value), each next to the table with the same figures.

use leptos::prelude::*;

/// One bar: its label, its value (for the length) and the value as the reader reads it.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: i64,
    pub text: String,
}

const WIDTH: i64 = 640;
const ROW: i64 = 28;
const LABEL: i64 = 200;

/// Horizontal bars, one row each, the longest filling the width.
#[component]
pub fn BarChart(title: String, bars: Vec<Bar>) -> impl IntoView {
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0).max(1);
    let height = ROW * bars.len().max(1) as i64 + 8;
    let description = bars.iter().map(|b| format!("{}: {}", b.label, b.text)).collect::<Vec<_>>().join("; ");
    let id = format!("chart-{}", title.bytes().fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b))));
    view! {
        <svg class="chart" viewBox=format!("0 0 {WIDTH} {height}") role="img"
            aria-labelledby=format!("{id}-t {id}-d") preserveAspectRatio="xMinYMin meet">
            <title id=format!("{id}-t")>{title.clone()}</title>
            <desc id=format!("{id}-d")>{description}</desc>
            {bars.into_iter().enumerate().map(|(i, b)| {
                let y = 4 + ROW * i as i64;
                let length = (WIDTH - LABEL - 110) * b.value.max(0) / max;
                view! {
                    <g>
                        <text x="0" y=y + 18 class="chart-label">{truncate(&b.label, 16)}</text>
                        <rect x=LABEL y=y + 4 width=length.max(1) height=ROW - 10 class="chart-bar"/>
                        <text x=LABEL + length + 6 y=y + 18 class="chart-value">{b.text}</text>
                    </g>
                }
            }).collect_view()}
        </svg>
    }
}

/// Vertical bars over time (months), with the value over each bar.
#[component]
pub fn ColumnChart(title: String, bars: Vec<Bar>) -> impl IntoView {
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0).max(1);
    let n = bars.len().max(1) as i64;
    let step = WIDTH / n;
    let top = 24;
    let plot = 180;
    let description = bars.iter().map(|b| format!("{}: {}", b.label, b.text)).collect::<Vec<_>>().join("; ");
    let id = format!("chart-{}", title.bytes().fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b))));
    view! {
        <svg class="chart" viewBox=format!("0 0 {WIDTH} {}", top + plot + 30) role="img"
            aria-labelledby=format!("{id}-t {id}-d") preserveAspectRatio="xMinYMin meet">
            <title id=format!("{id}-t")>{title.clone()}</title>
            <desc id=format!("{id}-d")>{description}</desc>
            {bars.into_iter().enumerate().map(|(i, b)| {
                let h = plot * b.value.max(0) / max;
                let x = step * i as i64 + step / 6;
                let w = (step * 2 / 3).max(2);
                view! {
                    <g>
                        <rect x=x y=top + plot - h width=w height=h.max(1) class="chart-bar"/>
                        <text x=x + w / 2 y=top + plot - h - 4 class="chart-value" text-anchor="middle">{b.text}</text>
                        <text x=x + w / 2 y=top + plot + 18 class="chart-label" text-anchor="middle">{b.label}</text>
                    </g>
                }
            }).collect_view()}
        </svg>
    }
}

fn truncate(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars { text.to_string() } else { text.chars().take(chars - 1).chain(['…']).collect() }
}
