//! The arrows of docs/ARCHITECTURE.md, checked. Between crates the compiler holds them (a
//! crate cannot name one it does not depend on, and cargo refuses a circle); these tests
//! hold the rest: each crate depends only on the stages below it, and inside a crate no
//! two modules reach each other in a circle (`audit` → `issue` → `audit` was one), so a
//! newcomer can read a module knowing only what is beneath it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The stages, bottom first; each may depend on those before it, never after.
const STAGES: &[&str] = &[
    "saraban-thai",
    "saraban-model",
    "saraban-typeset",
    "saraban-pdf",
    "saraban-raster",
    "saraban-docx",
    "saraban-receive",
    "saraban-mail",
    "saraban-sign",
    "saraban-register",
];

/// The `saraban-*` crates a manifest depends on (normal dependencies).
fn saraban_deps(manifest: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(manifest).unwrap();
    let mut deps = BTreeSet::new();
    let mut in_deps = false;
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_deps = line == "[dependencies]";
            continue;
        }
        if in_deps && line.starts_with("saraban-") {
            let name: String = line
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect();
            deps.insert(name);
        }
    }
    deps
}

#[test]
fn each_stage_depends_only_on_the_stages_below_it() {
    for (i, stage) in STAGES.iter().enumerate() {
        let deps = saraban_deps(&root().join("crates").join(stage).join("Cargo.toml"));
        for d in &deps {
            let j = STAGES.iter().position(|s| s == d);
            assert!(
                j.is_some_and(|j| j < i),
                "{stage} depends on {d}, which is not below it ({STAGES:?}, bottom first)"
            );
        }
    }
    // The letter model never pulls in a database: the fuzz targets and anything that only
    // reads letters stay light (SQLite only through the register's `sqlite` feature).
    let model = std::fs::read_to_string(root().join("crates/saraban-model/Cargo.toml")).unwrap();
    assert!(model.contains("rusqlite = { workspace = true, optional = true }"));
    // Reading a received file and keeping the register are apart: the register never
    // reads a file's content (the office hands it what was read and a stamp function).
    let register = saraban_deps(&root().join("crates/saraban-register/Cargo.toml"));
    assert!(!register.contains("saraban-receive"));
    // The post office neither reads letters nor keeps the register: the office says what
    // to send and records what happened.
    let mail = saraban_deps(&root().join("crates/saraban-mail/Cargo.toml"));
    assert!(!mail.contains("saraban-register") && !mail.contains("saraban-receive"));
    assert!(!register.contains("saraban-mail"));
    // Signatures are CMS and PDF bytes: the office records them and draws their look.
    let sign = saraban_deps(&root().join("crates/saraban-sign/Cargo.toml"));
    assert_eq!(sign, BTreeSet::from(["saraban-model".to_string()]));
    assert!(!register.contains("saraban-sign"));
    // The Word hand-off says the typesetter's places in Word's terms; it writes no PDF and
    // knows no register.
    let docx = saraban_deps(&root().join("crates/saraban-docx/Cargo.toml"));
    assert!(!docx.contains("saraban-pdf") && !docx.contains("saraban-register"));
    // The preview's pixels come from the frames alone, as the PDF does: the painter
    // writes no PDF and reads none.
    let raster = saraban_deps(&root().join("crates/saraban-raster/Cargo.toml"));
    assert_eq!(raster, BTreeSet::from(["saraban-typeset".to_string()]));
    // Nothing below the register knows it; the typesetter never writes PDF.
    for low in ["saraban-thai", "saraban-model", "saraban-typeset"] {
        let deps = saraban_deps(&root().join("crates").join(low).join("Cargo.toml"));
        assert!(
            !deps.contains("saraban-register") && !deps.contains("saraban-pdf"),
            "{low}"
        );
    }
}

/// The top-level modules of a crate and, for each, the sibling modules it names
/// (`crate::x` anywhere in it, `super::x` in a file directly under `src/`).
fn module_graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut files: Vec<(String, PathBuf, bool)> = Vec::new();
    for entry in std::fs::read_dir(src).unwrap() {
        let p = entry.unwrap().path();
        let name = p.file_stem().unwrap().to_string_lossy().into_owned();
        if p.is_dir() {
            for f in walk(&p) {
                let top = f.parent() == Some(p.as_path()) && f.file_stem().unwrap() == "mod";
                files.push((name.clone(), f, top));
            }
        } else if p.extension().is_some_and(|e| e == "rs") && name != "lib" && name != "main" {
            files.push((name, p, true));
        }
    }
    let modules: BTreeSet<String> = files.iter().map(|(m, _, _)| m.clone()).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = modules
        .iter()
        .map(|m| (m.clone(), BTreeSet::new()))
        .collect();
    for (module, file, top) in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let mut prefixes = vec!["crate::"];
        if *top {
            prefixes.push("super::");
        }
        for prefix in prefixes {
            for (at, _) in text.match_indices(prefix) {
                let rest = &text[at + prefix.len()..];
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if modules.contains(&name) && name != *module {
                    graph.get_mut(module).unwrap().insert(name);
                }
            }
        }
    }
    graph
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
    out
}

/// A circle in `graph`, if there is one, as the modules along it.
fn circle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        g: &BTreeMap<String, BTreeSet<String>>,
        m: &str,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|p| p == m) {
            let mut c = path[i..].to_vec();
            c.push(m.to_string());
            return Some(c);
        }
        if done.contains(m) {
            return None;
        }
        path.push(m.to_string());
        for next in &g[m] {
            if let Some(c) = visit(g, next, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(m.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|m| visit(graph, m, &mut Vec::new(), &mut done))
}

#[test]
fn no_two_modules_of_a_crate_reach_each_other_in_a_circle() {
    let mut srcs: Vec<PathBuf> = STAGES
        .iter()
        .map(|s| root().join("crates").join(s).join("src"))
        .collect();
    srcs.push(root().join("src"));
    srcs.push(root().join("src-tauri/src"));
    for src in srcs {
        let graph = module_graph(&src);
        assert!(!graph.is_empty(), "{}: no modules found", src.display());
        if let Some(c) = circle(&graph) {
            panic!("{}: a circle of modules: {}", src.display(), c.join(" → "));
        }
    }
}

#[test]
fn the_circle_finder_finds_a_circle() {
    let g: BTreeMap<String, BTreeSet<String>> = [
        ("issue", vec!["audit", "entry"]),
        ("audit", vec!["search"]),
        ("search", vec!["issue"]),
        ("entry", vec![]),
    ]
    .into_iter()
    .map(|(m, d)| (m.into(), d.into_iter().map(String::from).collect()))
    .collect();
    let c = circle(&g).expect("issue → audit → search → issue");
    assert_eq!(c.first(), c.last());
    assert!(c.contains(&"search".to_string()), "{c:?}");
    // And the register's modules as they are: issue reaches audit and search, never back.
    let register = module_graph(&root().join("crates/saraban-register/src"));
    assert!(register["issue"].contains("audit") && register["issue"].contains("search"));
    assert!(!register["audit"].contains("issue") && !register["search"].contains("issue"));
}
