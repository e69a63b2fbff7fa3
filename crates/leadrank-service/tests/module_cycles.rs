//! The modules of this crate form no dependency cycle: each `src/*.rs` module's references to
//! other modules (`crate::x`, `crate::{x, y::Z}`, `super::x`) are read from its source, outside
//! comments, and the graph they make must be acyclic. A cycle (say `service` -> `ops` ->
//! `service`) fails with the modules of the cycle in order.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

type Graph = BTreeMap<String, BTreeSet<String>>;

/// Source without comments (line, doc and block comments) and without the text of string
/// literals.
fn strip_comments(src: &str) -> String {
    let mut out = String::with_capacity(src.len());
    let b = src.as_bytes();
    let (mut i, mut in_str) = (0, false);
    while i < b.len() {
        if in_str {
            if b[i] == b'\\' {
                i += 2;
                continue;
            }
            in_str = b[i] != b'"';
            if in_str {
                i += src[i..].chars().next().map_or(1, char::len_utf8);
                continue;
            }
        } else if src[i..].starts_with("'\"'") {
            // The character literal of a double quote.
            i += 3;
            continue;
        } else if b[i] == b'"' {
            in_str = true;
        } else if src[i..].starts_with("//") {
            i = src[i..].find('\n').map_or(b.len(), |n| i + n);
            continue;
        } else if src[i..].starts_with("/*") {
            i = src[i + 2..].find("*/").map_or(b.len(), |n| i + 2 + n + 2);
            continue;
        }
        let c = src[i..].chars().next().unwrap_or(' ');
        out.push(c);
        i += c.len_utf8();
    }
    out
}

/// The first identifier of `s`.
fn ident(s: &str) -> Option<&str> {
    let s = s.trim_start();
    let end = s.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(s.len());
    (end > 0).then(|| &s[..end])
}

/// The top-level modules `src` refers to through `crate::` or `super::` paths.
fn references(src: &str) -> BTreeSet<String> {
    let code = strip_comments(src);
    let mut found = BTreeSet::new();
    for prefix in ["crate::", "super::"] {
        for (at, _) in code.match_indices(prefix) {
            // `foo_crate::x` is another path.
            if code[..at].chars().next_back().is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
                continue;
            }
            let rest = &code[at + prefix.len()..];
            if let Some(group) = rest.strip_prefix('{') {
                // `crate::{a, b::C, d::{E, F}}`: the first segment of each top-level item.
                let mut depth = 0usize;
                let mut item_start = true;
                for (i, c) in group.char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' if depth == 0 => break,
                        '}' => depth -= 1,
                        ',' if depth == 0 => item_start = true,
                        c if item_start && !c.is_whitespace() => {
                            item_start = false;
                            if let Some(name) = ident(&group[i..]) {
                                found.insert(name.to_string());
                            }
                        }
                        _ => {}
                    }
                }
            } else if let Some(name) = ident(rest) {
                found.insert(name.to_string());
            }
        }
    }
    found
}

/// The module graph of the `src` directory of a crate with flat modules (`src/x.rs`).
fn module_graph(src_dir: &Path) -> Graph {
    let mut sources = BTreeMap::new();
    for entry in std::fs::read_dir(src_dir).expect("the crate's src directory") {
        let path = entry.expect("a directory entry").path();
        if path.extension().is_some_and(|e| e == "rs") {
            let name = path.file_stem().and_then(|s| s.to_str()).expect("a UTF-8 file name").to_string();
            sources.insert(name, std::fs::read_to_string(&path).expect("a readable source file"));
        }
    }
    let modules: BTreeSet<String> = sources.keys().filter(|m| *m != "lib").cloned().collect();
    sources
        .iter()
        .filter(|(m, _)| *m != "lib")
        .map(|(m, src)| {
            let deps = references(src).into_iter().filter(|d| d != m && modules.contains(d)).collect();
            (m.clone(), deps)
        })
        .collect()
}

/// A cycle of the graph, if there is one, as the modules along it (first repeated last).
fn find_cycle(graph: &Graph) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    fn visit(node: &str, graph: &Graph, marks: &mut BTreeMap<String, Mark>, path: &mut Vec<String>) -> Option<Vec<String>> {
        marks.insert(node.to_string(), Mark::Open);
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            match marks.get(next.as_str()).copied().unwrap_or(Mark::New) {
                Mark::Open => {
                    let from = path.iter().position(|p| p == next).unwrap_or(0);
                    let mut cycle = path[from..].to_vec();
                    cycle.push(next.clone());
                    return Some(cycle);
                }
                Mark::New => {
                    if let Some(c) = visit(next, graph, marks, path) {
                        return Some(c);
                    }
                }
                Mark::Done => {}
            }
        }
        path.pop();
        marks.insert(node.to_string(), Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    for node in graph.keys() {
        if marks.get(node.as_str()).copied().unwrap_or(Mark::New) == Mark::New
            && let Some(c) = visit(node, graph, &mut marks, &mut Vec::new())
        {
            return Some(c);
        }
    }
    None
}

#[test]
fn the_service_modules_form_no_dependency_cycle() {
    let graph = module_graph(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    // The graph was read: the service core uses the live book and the write order.
    assert!(graph["service"].contains("live") && graph["service"].contains("order"), "module graph not read: {graph:?}");
    if let Some(cycle) = find_cycle(&graph) {
        panic!("the modules of leadrank-service form a dependency cycle: {}", cycle.join(" -> "));
    }
}

#[test]
fn references_are_read_from_paths_and_groups_but_not_comments() {
    let src = "use crate::{live::Live, ops, order::{OrderKey, Turn}};\n\
               // crate::admin in a comment\n\
               /* crate::demo */\n\
               fn f() { super::keys::hash(); let s = \"crate::x\"; other_crate::y(); crate::writer::go(); }";
    let found: Vec<String> = references(src).into_iter().collect();
    assert_eq!(found, ["keys", "live", "ops", "order", "writer"]);
}

#[test]
fn a_cycle_is_found_and_named() {
    let mut graph = Graph::new();
    graph.insert("service".into(), ["ops".to_string(), "live".to_string()].into());
    graph.insert("ops".into(), ["ops_admin".to_string()].into());
    graph.insert("ops_admin".into(), ["service".to_string()].into());
    graph.insert("live".into(), BTreeSet::new());
    let cycle = find_cycle(&graph).expect("the cycle");
    assert_eq!(cycle, ["ops", "ops_admin", "service", "ops"]);
    graph.get_mut("ops_admin").map(|d| d.remove("service"));
    assert_eq!(find_cycle(&graph), None);
}
