#!/usr/bin/env python3
"""The layer check of `make lint`: every `crate::…` (and `super::…`) path in app/src must
point down the order below, never up or sideways into a unit placed later.

A unit is a top-level module of app/src (`events`, `state`, …); the page files of a feature
(`pages.rs`, `*_page.rs`) form a unit of their own, `<feature>::pages`, above every feature,
so a feature's server code never depends on any view. Inside one unit files may use each
other (a feature's types, server functions and server code are one room).

    python3 scripts/layers.py            # checks; prints each import against the order
    python3 scripts/layers.py --graph    # prints which unit uses which
"""

import pathlib
import re
import sys

# Lowest first. A unit may use only units listed before it. The groups are the layers the
# README describes; a new module must be placed here before it can be used.
LAYERS = [
    ("base", ["crypto", "csv", "markdown", "time_zones", "web", "html"]),
    ("language", ["i18n"]),
    ("errors", ["error"]),
    ("domain", ["domain"]),
    ("infrastructure", ["entities", "forms", "db", "mail", "write_queue", "state", "auth", "components"]),
    (
        "features",
        [
            "webhooks",
            "marketing",
            "events",
            "questions",
            "roadshows",
            "invitations",
            "units",
            "targets",
            "leads",
            "trips",
            "dashboard",
            "registrations",
            "meetings",
            "door",
            "follow_ups",
            "campaigns",
            "outbox",
            "api_tokens",
            "demo_data",
            "demo_outcomes",
            "demo",
        ],
    ),
    (
        "pages",
        [
            "auth::pages",
            "questions::pages",
            "meetings::pages",
            "door::pages",
            "registrations::pages",
            "roadshows::pages",
            "events::pages",
            "invitations::pages",
            "units::pages",
            "targets::pages",
            "leads::pages",
            "trips::pages",
            "dashboard::pages",
            "follow_ups::pages",
            "campaigns::pages",
            "outbox::pages",
            "api_tokens::pages",
            "webhooks::pages",
            "layout",
            "routes",
            "lib",
        ],
    ),
]

ROOT = pathlib.Path(__file__).resolve().parent.parent / "app" / "src"
RANK = {unit: i for i, unit in enumerate(u for _, units in LAYERS for u in units)}
LAYER_OF = {unit: name for name, units in LAYERS for unit in units}


def is_page(stem: str) -> bool:
    return stem == "pages" or stem.endswith("_page")


def unit_of(rel: pathlib.PurePath) -> str:
    top = rel.parts[0].removesuffix(".rs")
    if len(rel.parts) > 1 and is_page(rel.stem):
        return f"{top}::pages"
    return top


def target(top: str, rest: list[str]) -> str:
    return f"{top}::pages" if rest and is_page(rest[0]) else top


def split_group(body: str) -> list[str]:
    """The top-level items of a `{a::b, c::{d, e}}` use group."""
    parts, depth, current = [], 0, ""
    for ch in body:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    return [p.strip() for p in parts if p.strip()]


def paths_in(text: str, prefix: str) -> list[list[str]]:
    """Every path that starts with `prefix::`, as segments after it (groups expanded one level)."""
    found = []
    for m in re.finditer(rf"\b{prefix}::(\{{[^;]*?\}}|[\w:]+)", text, re.S):
        tail = m.group(1)
        items = split_group(tail[1:-1]) if tail.startswith("{") else [tail]
        for item in items:
            found.append([s for s in re.split(r"::", re.sub(r"\{.*", "", item, flags=re.S)) if s])
    return found


def imports(path: pathlib.Path) -> list[tuple[int, str]]:
    """(line, unit) of every other unit this file uses."""
    rel = path.relative_to(ROOT)
    own_top = rel.parts[0].removesuffix(".rs")
    found = []
    for number, line in enumerate(path.read_text().splitlines(), 1):
        code = line.split("//", 1)[0]
        for segments in paths_in(code, "crate"):
            if segments and segments[0] != "self":
                found.append((number, target(segments[0], segments[1:])))
        if len(rel.parts) > 1:
            # `super::x` in a feature's file, or `pages::x` / `self::pages` in its mod.rs.
            for segments in paths_in(code, "super"):
                if segments and segments[0] != "super":
                    found.append((number, target(own_top, segments)))
            if rel.name == "mod.rs":
                for m in re.finditer(r"(?:\buse\s+|\bself::|[^:\w])(\w+_page|pages)::", code):
                    found.append((number, f"{own_top}::pages"))
    return found


def main() -> int:
    graph: dict[str, set[str]] = {}
    wrong = []
    for path in sorted(ROOT.rglob("*.rs")):
        rel = path.relative_to(ROOT)
        unit = unit_of(rel)
        if unit not in RANK:
            wrong.append(f"app/src/{rel}: unit `{unit}` is in no layer: place it in scripts/layers.py")
            continue
        for number, used in imports(path):
            if used == unit:
                continue
            graph.setdefault(unit, set()).add(used)
            if used not in RANK:
                wrong.append(f"app/src/{rel}:{number}: uses `{used}`, which is in no layer")
            elif RANK[used] > RANK[unit]:
                wrong.append(
                    f"app/src/{rel}:{number}: `{unit}` ({LAYER_OF[unit]}) uses `{used}` "
                    f"({LAYER_OF[used]}), which comes later in the order of scripts/layers.py"
                )
    if "--graph" in sys.argv:
        for unit in sorted(graph, key=lambda u: RANK.get(u, -1)):
            print(f"{unit} -> {', '.join(sorted(graph[unit], key=lambda u: RANK.get(u, -1)))}")
    for line in wrong:
        print(line, file=sys.stderr)
    if wrong:
        print(f"layers: {len(wrong)} import(s) against the order", file=sys.stderr)
        return 1
    print(f"layers: {sum(len(v) for v in graph.values())} unit dependencies, all downward")
    return 0


if __name__ == "__main__":
    sys.exit(main())
