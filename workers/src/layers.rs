//! The layers of this crate, checked: each top-level module may use modules of its own layer
//! or below, never above, and modules never use each other in a circle. `lib.rs` wires the
//! layers together and stands outside them.
//!
//! | layer | modules | what it is |
//! |---|---|---|
//! | 0 | `shop`, `settings`, `outcome`, `context`, `registry`, `backoff`, `metrics`, `wakeups`, `cache` | the shop's domain and what every job runs on |
//! | 1 | `ui` | texts, screens, the customer callback codec, Telegram HTML, messages |
//! | 2 | `payments`, `telegram`, `audit`, `telemetry`, … | the job families and the runtime |
//! | 3 | `bot` | the conversation engine |

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const LAYERS: &[(&str, u8)] = &[
    ("shop", 0),
    ("settings", 0),
    ("outcome", 0),
    ("context", 0),
    ("registry", 0),
    ("backoff", 0),
    ("metrics", 0),
    ("wakeups", 0),
    ("cache", 0),
    ("ui", 1),
    ("audit", 2),
    ("backup", 2),
    ("dashboard_login", 2),
    ("diagnostic", 2),
    ("maintenance", 2),
    ("owner_alerts", 2),
    ("payments", 2),
    ("periodic", 2),
    ("reconcile", 2),
    ("runtime", 2),
    ("telegram", 2),
    ("telemetry", 2),
    ("bot", 3),
];

fn layer(module: &str) -> Option<u8> {
    LAYERS
        .iter()
        .find(|(name, _)| *name == module)
        .map(|(_, layer)| *layer)
}

/// The top-level modules named after `crate::` in one line of code, in both `crate::a::b`
/// and `crate::{a, b::c}` forms.
fn used_modules(line: &str) -> Vec<String> {
    let mut used = Vec::new();
    for (at, _) in line.match_indices("crate::") {
        let rest = &line[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let mut item = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        used.push(std::mem::take(&mut item));
                        continue;
                    }
                    _ => {}
                }
                if depth == 0 {
                    item.push(c);
                }
            }
            used.push(item);
        } else {
            used.push(rest.to_owned());
        }
    }
    used.into_iter()
        .filter_map(|item| {
            let name: String = item
                .trim()
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            // Items of the crate root (`JobError`, `Registry`) are re-exports of layer 0.
            name.starts_with(|c: char| c.is_ascii_lowercase())
                .then_some(name)
        })
        .collect()
}

/// Every module each top-level module uses, from the sources under `src`.
fn uses(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut found: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut pending = vec![src.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).expect("read the source tree") {
            let path = entry.expect("a source entry").path();
            if path.is_dir() {
                pending.push(path);
                continue;
            }
            if path.extension().is_none_or(|ext| ext != "rs") {
                continue;
            }
            let relative = path.strip_prefix(src).expect("under src");
            let top = relative
                .components()
                .next()
                .and_then(|c| c.as_os_str().to_str())
                .map(|name| name.trim_end_matches(".rs").to_owned())
                .expect("a module name");
            if top == "lib" || top == "layers" {
                continue;
            }
            let code = std::fs::read_to_string(&path).expect("read a source file");
            let targets = found.entry(top.clone()).or_default();
            for line in code.lines() {
                if line.trim_start().starts_with("//") {
                    continue;
                }
                targets.extend(used_modules(line).into_iter().filter(|used| *used != top));
            }
        }
    }
    found
}

#[test]
fn modules_use_their_own_layer_or_lower_and_never_in_a_circle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let uses = uses(&src);
    let mut wrong = Vec::new();
    for (module, targets) in &uses {
        let Some(from) = layer(module) else {
            wrong.push(format!("{module} has no layer: add it to LAYERS"));
            continue;
        };
        for target in targets {
            match layer(target) {
                Some(to) if to <= from => {}
                Some(to) => wrong.push(format!(
                    "{module} (layer {from}) uses {target} (layer {to}), a layer above it"
                )),
                None => wrong.push(format!("{module} uses {target}, which has no layer")),
            }
        }
    }
    // A circle among the modules of one layer: depth-first search for a back edge.
    fn visit<'a>(
        module: &'a str,
        uses: &'a BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
        circles: &mut Vec<String>,
    ) {
        if let Some(start) = path.iter().position(|m| *m == module) {
            circles.push(format!(
                "a circle: {} → {module}",
                path[start..].join(" → ")
            ));
            return;
        }
        if !done.insert(module) {
            return;
        }
        path.push(module);
        for target in uses.get(module).into_iter().flatten() {
            visit(target, uses, path, done, circles);
        }
        path.pop();
    }
    let mut done = BTreeSet::new();
    for module in uses.keys() {
        visit(module, &uses, &mut Vec::new(), &mut done, &mut wrong);
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn uses_are_read_in_both_forms() {
    assert_eq!(used_modules("use crate::ui::texts::{Text, Texts};"), ["ui"]);
    assert_eq!(
        used_modules("use crate::{JobError, bot::{self, x}, telegram};"),
        ["bot", "telegram"]
    );
    assert_eq!(
        used_modules("let t = crate::shop::order::items(tx, crate::ui::x);"),
        ["shop", "ui"]
    );
}

/// Every Rust file under `dir`, recursively.
fn rust_files(dir: &Path, found: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            found.push(path);
        }
    }
}

#[test]
fn no_source_file_is_over_600_lines() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for dir in [
        "src",
        "jobs/src",
        "domain/src",
        "workers/src",
        "tests",
        "benches",
    ] {
        rust_files(&root.join(dir), &mut files);
    }
    assert!(files.len() > 50, "the workspace's sources were not found");
    let long: Vec<String> = files
        .iter()
        .filter_map(|path| {
            let lines = std::fs::read_to_string(path).ok()?.lines().count();
            (lines > 600).then(|| format!("{} has {lines} lines", path.display()))
        })
        .collect();
    assert!(
        long.is_empty(),
        "split these by what they do:\n{}",
        long.join("\n")
    );
}
