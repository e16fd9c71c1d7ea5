//! The crates' layers: no module imports one above it, and no modules import each other
//! in a cycle. Read from the sources, so that a cycle cannot come back unnoticed.
//!
//! The runtime, bottom-up, is the order of [`RUNTIME`]; the derive is the pipeline of
//! [`MACROS`]. A module may name (in a `use`, a path or a macro's `$crate::` path) only
//! modules before it in its crate's list, and its doc header says its layer. Within a
//! module, its submodules may not import each other in a cycle.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The runtime's top-level modules, bottom-up, with their layer.
const RUNTIME: &[(&str, u8)] = &[
    // Layer 0, the ground floor: plain data and header parsing.
    ("status", 0),
    ("retry_class", 0),
    ("grpc_code", 0),
    ("log_level", 0),
    ("limits", 0),
    ("lenient", 0),
    ("clock", 0),
    ("field_errors", 0),
    ("catalogue", 0),
    ("hint", 0),
    // Layer 1: the formats.
    ("format", 1),
    // Layer 2: decoded data.
    ("unknown", 2),
    ("decode", 2),
    ("roles", 2),
    // Layer 3: the trait.
    ("api_error", 3),
    // Layer 4: `Decoded`.
    ("decoded", 4),
    // Layer 5: what is built on the trait.
    ("retry", 5),
    ("client", 5),
    ("server", 5),
    ("openapi", 5),
    // Layer 6: the integrations.
    ("axum", 6),
    ("actix_web", 6),
    ("reqwest", 6),
    ("reqwest_middleware", 6),
    ("ureq", 6),
    ("tonic", 6),
    // Layer 7: what the generated code names.
    ("__private", 7),
    ("integrations", 7),
];

/// The derive's modules, in pipeline order: helpers, then attributes → syntax tree →
/// checks → expansion.
const MACROS: &[(&str, u8)] = &[
    ("case", 0),
    ("template", 0),
    ("attr", 1),
    ("declared", 1),
    ("ast", 2),
    ("valid", 3),
    ("expand", 4),
    ("fallback", 5),
];

fn source_dir(krate: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(krate)
        .join("src")
}

/// Every `.rs` file under `dir`, by module path (`format::declared`); `lib` is the root.
fn modules(dir: &Path) -> BTreeMap<String, PathBuf> {
    let mut found = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in std::fs::read_dir(&current).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let relative = path.strip_prefix(dir).unwrap().with_extension("");
                let name = relative
                    .components()
                    .map(|c| c.as_os_str().to_str().unwrap())
                    .collect::<Vec<_>>()
                    .join("::");
                found.insert(name.trim_end_matches("::mod").to_owned(), path);
            }
        }
    }
    found
}

/// The code of a file that counts: not comments, and not its `#[cfg(test)] mod tests`.
fn code_lines(text: &str) -> Vec<(usize, &str)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut code = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        if trimmed == "#[cfg(test)]"
            && lines
                .get(index + 1)
                .is_some_and(|next| next.trim_start().starts_with("mod tests"))
        {
            break;
        }
        if !trimmed.starts_with("//") {
            code.push((index + 1, *line));
        }
    }
    code
}

/// The path segments after each `crate::` (or `$crate::`) and `super::` in `line`: the
/// leading `super`s kept; a group (`crate::{a, b::c}`) gives one path per item.
fn paths(line: &str) -> Vec<Vec<&str>> {
    let mut found = Vec::new();
    for start in ["crate::", "super::"] {
        let mut from = 0;
        while let Some(at) = line[from..].find(start) {
            let at = from + at;
            from = at + start.len();
            let before = line[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue; // part of a longer name, or the middle of a path
            }
            let head = vec![start.trim_end_matches("::")];
            read_path(head, &line[from..], &mut found);
        }
    }
    found
}

/// Reads `rest` as the rest of a path after `head` (identifiers joined by `::`, maybe
/// ending in a `{…}` group), pushing each full path to `found`.
fn read_path<'a>(mut head: Vec<&'a str>, mut rest: &'a str, found: &mut Vec<Vec<&'a str>>) {
    loop {
        if let Some(group) = rest.strip_prefix('{') {
            for item in items(group) {
                read_path(head.clone(), item.trim_start(), found);
            }
            return;
        }
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        if end == 0 {
            break;
        }
        head.push(&rest[..end]);
        match rest[end..].strip_prefix("::") {
            Some(next) => rest = next,
            None => break,
        }
    }
    found.push(head);
}

/// The items of a group whose `{` is just before `group`: split at its own commas, up
/// to its `}` (or the end of the line).
fn items(group: &str) -> Vec<&str> {
    let (mut depth, mut start, mut items) = (0usize, 0, Vec::new());
    for (at, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => {
                items.push(&group[start..at]);
                return items;
            }
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&group[start..at]);
                start = at + 1;
            }
            _ => {}
        }
    }
    items.push(&group[start..]);
    items
}

/// The module `segments` (from [`paths`]) names from module `from`: the longest prefix
/// that is a module of the crate.
fn target(from: &str, segments: &[&str], known: &BTreeMap<String, PathBuf>) -> Option<String> {
    let mut base: Vec<&str> = if from == "lib" {
        Vec::new()
    } else {
        from.split("::").collect()
    };
    let mut rest = segments;
    if rest.first() == Some(&"crate") {
        base.clear();
        rest = &rest[1..];
    } else {
        while rest.first() == Some(&"super") {
            // A file's module is its path; `super` is its parent.
            base.pop()?;
            rest = &rest[1..];
        }
    }
    (1..=rest.len()).rev().find_map(|take| {
        let mut path = base.clone();
        path.extend(&rest[..take]);
        let name = path.join("::");
        known.contains_key(&name).then_some(name)
    })
}

/// The items the crate root re-exports from its modules (`pub use decode::DecodeError;`),
/// each with the module it comes from, so that `crate::DecodeError` counts as an import
/// of `decode`.
fn root_items(lib: &Path, known: &BTreeMap<String, PathBuf>) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(lib).unwrap();
    let mut items = BTreeMap::new();
    for line in text.lines() {
        let Some(path) = line.trim().strip_prefix("pub use ") else {
            continue;
        };
        let path = path.trim_end_matches(';');
        let Some((module, _)) = path.split_once("::") else {
            continue;
        };
        if !known.contains_key(module) {
            continue; // an external crate
        }
        let item = path.rsplit(['{', ',', ':', ' ']).next().unwrap_or(path);
        items.insert(item.trim().to_owned(), module.to_owned());
    }
    items
}

/// `segments` with a root re-export (`crate::DecodeError`) replaced by the module it
/// comes from (`crate::decode::DecodeError`).
fn through_root<'a>(segments: &[&'a str], roots: &'a BTreeMap<String, String>) -> Vec<&'a str> {
    match segments {
        ["crate", item, rest @ ..] if roots.contains_key(*item) => {
            let mut resolved = vec!["crate", roots[*item].as_str(), *item];
            resolved.extend(rest);
            resolved
        }
        _ => segments.to_vec(),
    }
}

/// `a` is `b` or one of its ancestors or descendants (a module and its submodules name
/// each other by structure: re-exports down, shared items up).
fn related(a: &str, b: &str) -> bool {
    a == b || a.starts_with(&format!("{b}::")) || b.starts_with(&format!("{a}::"))
}

struct Graph {
    /// `from → to`, with where each was seen.
    edges: BTreeMap<String, BTreeMap<String, String>>,
    modules: BTreeMap<String, PathBuf>,
}

fn graph(krate: &str) -> Graph {
    let dir = source_dir(krate);
    let modules = modules(&dir);
    let roots = root_items(&dir.join("lib.rs"), &modules);
    let mut edges: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for (name, path) in &modules {
        let text = std::fs::read_to_string(path).unwrap();
        for (number, line) in code_lines(&text) {
            for segments in paths(line) {
                let segments = through_root(&segments, &roots);
                let Some(to) = target(name, &segments, &modules) else {
                    continue;
                };
                if to == "lib" || related(name, &to) {
                    continue;
                }
                edges
                    .entry(name.clone())
                    .or_default()
                    .entry(to)
                    .or_insert_with(|| format!("{krate}/src/{}:{number}", path_in(&dir, path)));
            }
        }
    }
    Graph { edges, modules }
}

fn path_in(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir).unwrap().display().to_string()
}

fn top(module: &str) -> &str {
    module.split("::").next().unwrap()
}

/// The upward imports: each as "where: `from` imports `to`, which is above it".
fn upward(graph: &Graph, order: &[(&str, u8)]) -> Vec<String> {
    let rank = |module: &str| order.iter().position(|(name, _)| *name == top(module));
    let mut found = Vec::new();
    for (from, targets) in &graph.edges {
        for (to, place) in targets {
            if top(from) == top(to) {
                continue;
            }
            match (rank(from), rank(to)) {
                (Some(a), Some(b)) if b < a => {}
                (Some(_), Some(_)) => found.push(format!(
                    "{place}: `{}` imports `{}`, which is not below it",
                    top(from),
                    top(to)
                )),
                _ => {}
            }
        }
    }
    found
}

/// Every top-level module is in the order, and every module in the order exists.
fn unlisted(graph: &Graph, order: &[(&str, u8)]) -> Vec<String> {
    let tops: BTreeSet<&str> = graph
        .modules
        .keys()
        .map(|m| top(m))
        .filter(|m| *m != "lib")
        .collect();
    let listed: BTreeSet<&str> = order.iter().map(|(name, _)| *name).collect();
    let mut found: Vec<String> = tops
        .difference(&listed)
        .map(|m| format!("`{m}` has no layer: add it to the list"))
        .collect();
    found.extend(
        listed
            .difference(&tops)
            .map(|m| format!("`{m}` is listed but is not a module")),
    );
    found
}

/// The cycles among modules (each module path, every depth), as found by a depth-first
/// search: one per back edge.
fn cycles(graph: &Graph) -> Vec<String> {
    fn visit<'g>(
        node: &'g str,
        graph: &'g Graph,
        state: &mut BTreeMap<&'g str, bool>,
        stack: &mut Vec<&'g str>,
        found: &mut Vec<String>,
    ) {
        state.insert(node, false);
        stack.push(node);
        for to in graph.edges.get(node).into_iter().flat_map(BTreeMap::keys) {
            match state.get(to.as_str()) {
                None => visit(to, graph, state, stack, found),
                Some(false) => {
                    let start = stack.iter().position(|m| *m == to).unwrap();
                    let mut cycle = stack[start..].join(" → ");
                    let _ = write!(cycle, " → {to}");
                    found.push(cycle);
                }
                Some(true) => {}
            }
        }
        stack.pop();
        state.insert(node, true);
    }
    let mut state = BTreeMap::new();
    let mut found = Vec::new();
    for node in graph.modules.keys() {
        if !state.contains_key(node.as_str()) {
            visit(node, graph, &mut state, &mut Vec::new(), &mut found);
        }
    }
    found
}

/// Each listed module's doc header names its layer (`Layer 3`, `Step 2`).
fn undocumented(graph: &Graph, order: &[(&str, u8)], word: &str) -> Vec<String> {
    order
        .iter()
        .filter_map(|(name, layer)| {
            let path = graph.modules.get(*name)?;
            let text = std::fs::read_to_string(path).unwrap();
            let header: String = text
                .lines()
                .take_while(|line| line.starts_with("//!"))
                .collect::<Vec<_>>()
                .join(" ");
            let says = format!("{word} {layer}");
            (!header.contains(&says))
                .then(|| format!("`{name}`'s doc header does not say \"{says}\""))
        })
        .collect()
}

fn check(krate: &str, order: &[(&str, u8)], word: &str) {
    let graph = graph(krate);
    let mut problems = unlisted(&graph, order);
    problems.extend(upward(&graph, order));
    problems.extend(cycles(&graph).into_iter().map(|c| format!("a cycle: {c}")));
    problems.extend(undocumented(&graph, order, word));
    assert!(
        problems.is_empty(),
        "{krate}: {} problem(s) with its layers:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn no_runtime_module_imports_one_above_it() {
    check("runtime", RUNTIME, "Layer");
}

#[test]
fn the_derive_is_a_pipeline() {
    check("macros", MACROS, "Step");
}

/// The reader finds what it must: an upward import and a cycle in made-up sources.
#[test]
fn the_check_sees_upward_imports_and_cycles() {
    let mut modules = BTreeMap::new();
    for name in [
        "format",
        "format::nested",
        "format::schema",
        "decode",
        "retry",
    ] {
        modules.insert(name.to_owned(), PathBuf::new());
    }
    let edge = |from: &str, line: &str| {
        paths(line)
            .into_iter()
            .filter_map(|segments| target(from, &segments, &modules))
            .map(|to| (from.to_owned(), to))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        edge("format::nested", "use crate::retry::RetryAfter;"),
        [("format::nested".to_owned(), "retry".to_owned())]
    );
    assert_eq!(
        edge(
            "format::nested",
            "    $crate::format::schema::top_level(doc)"
        ),
        [("format::nested".to_owned(), "format::schema".to_owned())]
    );
    assert_eq!(
        edge("format::schema", "use super::nested::Nested;"),
        [("format::schema".to_owned(), "format::nested".to_owned())]
    );
    assert_eq!(edge("format", "let x = supercrate::y;"), []);
    assert_eq!(
        edge(
            "format::nested",
            "use crate::{decode, retry::{RetryAfter, Clock}};"
        ),
        [
            ("format::nested".to_owned(), "decode".to_owned()),
            ("format::nested".to_owned(), "retry".to_owned()),
            ("format::nested".to_owned(), "retry".to_owned()),
        ]
    );

    let mut edges: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for (from, to) in [
        ("format", "retry"),
        ("format::nested", "format::schema"),
        ("format::schema", "format::nested"),
    ] {
        edges
            .entry(from.to_owned())
            .or_default()
            .insert(to.to_owned(), format!("{from}.rs:1"));
    }
    let graph = Graph { edges, modules };
    let order = [("format", 1), ("decode", 2), ("retry", 5)];
    assert_eq!(
        upward(&graph, &order),
        ["format.rs:1: `format` imports `retry`, which is not below it"]
    );
    assert_eq!(
        cycles(&graph),
        ["format::nested → format::schema → format::nested"]
    );
}
