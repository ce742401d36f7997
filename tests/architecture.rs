//! The shape of the code: the module graph of `src/` has no cycle, module by module (each
//! file is a module), so that every stage can be read, tested and changed with only the
//! stages below it in mind. A module depends on another when it names it: a path from
//! `crate::`, `super::` or `self::`, or a child module by its name, in code (comments and
//! `#[cfg(test)] mod tests` blocks left out). Declaring a child (`mod x;`) is not a
//! dependency; a parent that uses its child is, so a child never imports from its parent.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use regex::Regex;

type Module = Vec<String>;

/// Every module of `src/` (the library's; `main.rs` is the binary), by path, with its text.
fn modules(src: &Path) -> BTreeMap<Module, String> {
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(src) {
        let entry = entry.expect("walk src");
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") || path == src.join("main.rs") {
            continue;
        }
        let rel = path
            .strip_prefix(src)
            .expect("inside src")
            .with_extension("");
        let mut parts: Module = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
            parts.pop();
        }
        out.insert(parts, fs::read_to_string(path).expect("read module"));
    }
    out
}

/// The text of a module as code: without comments, string contents and inline test
/// modules.
fn code(text: &str) -> String {
    let tests = text.find("#[cfg(test)]\nmod tests {").unwrap_or(text.len());
    let text = &text[..tests];
    let comments = Regex::new(r"//[^\n]*").expect("pattern");
    let strings = Regex::new(r#""(?:[^"\\]|\\.)*""#).expect("pattern");
    strings
        .replace_all(&comments.replace_all(text, ""), "\"\"")
        .into_owned()
}

/// The paths a module names: each leaf of every `use` tree, and every path in the code.
fn paths(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let uses = Regex::new(r"\buse\s+([^;]+);").expect("pattern");
    for u in uses.captures_iter(code) {
        expand("", &u[1], &mut out);
    }
    let inline =
        Regex::new(r"\b(?:crate|super|self|[a-z_][a-z0-9_]*)(?:::[A-Za-z_][A-Za-z0-9_]*)+")
            .expect("pattern");
    out.extend(inline.find_iter(code).map(|m| m.as_str().to_string()));
    out
}

/// The leaves of a `use` tree (`a::{b, c::{d, e}}`), each with its prefix.
fn expand(prefix: &str, tree: &str, out: &mut Vec<String>) {
    let tree = tree.trim();
    let Some(open) = tree.find('{') else {
        let leaf = tree.split(" as ").next().unwrap_or(tree).trim();
        out.push(format!("{prefix}{leaf}"));
        return;
    };
    let head = format!("{prefix}{}", &tree[..open]);
    let inner = tree[open + 1..].trim_end().trim_end_matches('}');
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                expand(&head, &inner[start..i], out);
                start = i + 1;
            }
            _ => {}
        }
    }
    if !inner[start..].trim().is_empty() {
        expand(&head, &inner[start..], out);
    }
}

/// The modules each module depends on.
fn graph(modules: &BTreeMap<Module, String>) -> BTreeMap<Module, BTreeSet<Module>> {
    let child =
        Regex::new(r"(?m)^\s*(?:pub(?:\([a-z]+\))?\s+)?mod\s+([a-z_0-9]+)\s*;").expect("pattern");
    let mut edges = BTreeMap::new();
    for (module, text) in modules {
        let code = code(text);
        let children: BTreeSet<&str> = child
            .captures_iter(&code)
            .filter_map(|c| c.get(1))
            .map(|m| m.as_str())
            .collect();
        let mut depends = BTreeSet::new();
        for path in paths(&code) {
            let segs: Vec<&str> = path.split("::").collect();
            let target: Module = match segs[0] {
                "crate" => segs[1..].iter().map(|s| s.to_string()).collect(),
                "self" => module
                    .iter()
                    .cloned()
                    .chain(segs[1..].iter().map(|s| s.to_string()))
                    .collect(),
                "super" => {
                    let ups = segs.iter().take_while(|s| **s == "super").count();
                    let base = &module[..module.len().saturating_sub(ups)];
                    base.iter()
                        .cloned()
                        .chain(segs[ups..].iter().map(|s| s.to_string()))
                        .collect()
                }
                name if children.contains(name) => module
                    .iter()
                    .cloned()
                    .chain(segs.iter().map(|s| s.to_string()))
                    .collect(),
                _ => continue,
            };
            // The module that defines the name: the longest prefix that is a module.
            let found = (0..=target.len())
                .rev()
                .map(|n| target[..n].to_vec())
                .find(|m| modules.contains_key(m));
            if let Some(found) = found.filter(|f| f != module) {
                depends.insert(found);
            }
        }
        edges.insert(module.clone(), depends);
    }
    edges
}

/// A cycle of the graph, if it has one, as the modules along it.
fn cycle(edges: &BTreeMap<Module, BTreeSet<Module>>) -> Option<Vec<Module>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    fn visit(
        m: &Module,
        edges: &BTreeMap<Module, BTreeSet<Module>>,
        marks: &mut BTreeMap<Module, Mark>,
        stack: &mut Vec<Module>,
    ) -> Option<Vec<Module>> {
        match marks.get(m) {
            Some(Mark::Done) => return None,
            Some(Mark::Open) => {
                let from = stack.iter().position(|s| s == m).unwrap_or(0);
                let mut found = stack[from..].to_vec();
                found.push(m.clone());
                return Some(found);
            }
            None => {}
        }
        marks.insert(m.clone(), Mark::Open);
        stack.push(m.clone());
        for next in edges.get(m).into_iter().flatten() {
            if let Some(found) = visit(next, edges, marks, stack) {
                return Some(found);
            }
        }
        stack.pop();
        marks.insert(m.clone(), Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    edges
        .keys()
        .find_map(|m| visit(m, edges, &mut marks, &mut Vec::new()))
}

fn name(m: &Module) -> String {
    match m.is_empty() {
        true => "lib".to_string(),
        false => m.join("::"),
    }
}

#[test]
fn the_module_graph_has_no_cycle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let modules = modules(&src);
    assert!(modules.len() > 50, "found {} modules", modules.len());
    let edges = graph(&modules);
    // The graph is read as it should be: a few dependencies every reader of the code knows.
    for (from, to) in [
        ("render", "link"),
        ("link", "check::relations"),
        ("load", "load::config"),
        ("markdown::sanitize", "markdown::links"),
    ] {
        let from: Module = from.split("::").map(String::from).collect();
        let to: Module = to.split("::").map(String::from).collect();
        assert!(
            edges[&from].contains(&to),
            "{} should depend on {}: {:?}",
            name(&from),
            name(&to),
            edges[&from]
        );
    }
    if let Some(found) = cycle(&edges) {
        let chain: Vec<String> = found.iter().map(name).collect();
        panic!(
            "the modules depend on each other in a cycle: {}\nmove what they share into a module below both",
            chain.join(" -> ")
        );
    }
}

/// The checker finds a cycle where there is one: two modules naming each other, and a
/// child importing from its parent, which uses the child.
#[test]
fn a_cycle_is_found() {
    let mut modules = BTreeMap::new();
    let m = |s: &str| -> Module { s.split("::").map(String::from).collect() };
    modules.insert(m("a"), "use crate::b::X;\n".to_string());
    modules.insert(m("b"), "pub fn f() { crate::a::g() }\n".to_string());
    assert!(cycle(&graph(&modules)).is_some());
    let mut modules = BTreeMap::new();
    modules.insert(
        m("p"),
        "mod c;\npub fn f() { c::g() }\npub struct T;\n".to_string(),
    );
    modules.insert(m("p::c"), "use super::T;\npub fn g() {}\n".to_string());
    assert!(cycle(&graph(&modules)).is_some());
    modules.insert(m("p::c"), "// use super::T;\npub fn g() {}\n".to_string());
    assert!(cycle(&graph(&modules)).is_none(), "comments are not code");
}
