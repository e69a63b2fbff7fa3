//! The pure crates never read the clock: every time they use is passed in by the caller, so
//! the same inputs always give the same answer. Test code (`#[cfg(test)]` items) may time
//! itself.

use std::path::{Path, PathBuf};

/// The crates that do no I/O and read no clock.
const PURE_CRATES: &[&str] = &[
    "leadrank-facts",
    "leadrank-core",
    "leadrank-hygiene",
    "leadrank-metrics",
    "leadrank-lifecycle",
    "leadrank-routing",
    "leadrank-accounts",
    "leadrank-mapping",
];

/// Calls that read the clock.
const CLOCK_READS: &[&str] = &["Timestamp::now", "SystemTime::now", "Instant::now", "Zoned::now", "Utc::now", "Local::now"];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display())) {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `source` with its `#[cfg(test)]` items (the attribute and the item after it, up to the
/// `;` or the matching `}`), comments and string literals blanked, so that braces and names
/// inside them do not count. Line breaks are kept, so line numbers stay those of the file.
fn without_test_code(source: &str) -> String {
    let code = blank_comments_and_strings(source);
    let mut out = String::with_capacity(code.len());
    let mut rest = code.as_str();
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let item = &rest[at..];
        let mut depth = 0usize;
        let mut end = item.len();
        for (i, c) in item.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        end = i + 1;
                        break;
                    }
                }
                ';' if depth == 0 => {
                    end = i + 1;
                    break;
                }
                _ => {}
            }
        }
        out.extend(item[..end].chars().map(|c| if c == '\n' { '\n' } else { ' ' }));
        rest = &item[end..];
    }
    out.push_str(rest);
    out
}

/// Replaces the text of comments and of string and char literals with spaces (keeps lines).
fn blank_comments_and_strings(source: &str) -> String {
    let b: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len());
    let mut i = 0;
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    while i < b.len() {
        if b[i] == '/' && b.get(i + 1) == Some(&'/') {
            while i < b.len() && b[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if b[i] == '/' && b.get(i + 1) == Some(&'*') {
            while i < b.len() && !(b[i] == '*' && b.get(i + 1) == Some(&'/')) {
                out.push(blank(b[i]));
                i += 1;
            }
            out.push_str("  ");
            i += 2;
        } else if b[i] == 'r' && (b.get(i + 1) == Some(&'"') || b.get(i + 1) == Some(&'#')) && (i == 0 || !b[i - 1].is_alphanumeric()) {
            // Raw string: r"..." or r#"..."#.
            let mut j = i + 1;
            let mut hashes = 0;
            while b.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if b.get(j) != Some(&'"') {
                out.push(b[i]);
                i += 1;
                continue;
            }
            j += 1;
            while j < b.len() && !(b[j] == '"' && (0..hashes).all(|k| b.get(j + 1 + k) == Some(&'#'))) {
                j += 1;
            }
            for &c in &b[i..(j + 1 + hashes).min(b.len())] {
                out.push(blank(c));
            }
            i = j + 1 + hashes;
        } else if b[i] == '"' {
            out.push(' ');
            i += 1;
            while i < b.len() && b[i] != '"' {
                if b[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                if i < b.len() {
                    out.push(blank(b[i]));
                    i += 1;
                }
            }
            out.push(' ');
            i += 1;
        } else if b[i] == '\'' && b.get(i + 2) == Some(&'\'') {
            // A char literal like '{' (lifetimes have no closing quote two characters on).
            out.push_str("   ");
            i += 3;
        } else if b[i] == '\'' && b.get(i + 1) == Some(&'\\') {
            let mut j = i + 2;
            while j < b.len() && b[j] != '\'' {
                j += 1;
            }
            out.extend(std::iter::repeat_n(' ', j + 1 - i));
            i = j + 1;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    out
}

fn clock_reads(code: &str) -> Vec<(usize, &'static str)> {
    code.lines()
        .enumerate()
        .flat_map(|(n, line)| CLOCK_READS.iter().filter(move |c| line.contains(**c)).map(move |c| (n + 1, *c)))
        .collect()
}

#[test]
fn pure_crates_never_read_the_clock() {
    let crates_dir = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("crates directory");
    let mut found = Vec::new();
    let mut files = 0;
    for name in PURE_CRATES {
        let mut paths = Vec::new();
        rust_files(&crates_dir.join(name).join("src"), &mut paths);
        for path in paths {
            files += 1;
            let source = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            for (line, call) in clock_reads(&without_test_code(&source)) {
                found.push(format!("{}:{line}: {call}", path.display()));
            }
        }
    }
    assert!(files > 50, "only {files} source files found under {}", crates_dir.display());
    assert!(found.is_empty(), "clock reads in pure crates (pass the time in instead):\n{}", found.join("\n"));
}

#[test]
fn the_scan_sees_clock_reads_outside_test_code_only() {
    let source = r#"
use jiff::Timestamp;
/// Timestamp::now in a comment does not count.
fn now() -> Timestamp { let s = "Instant::now"; let c = '{'; Timestamp::now() }
#[cfg(test)]
mod tests {
    fn bench() { let t = std::time::Instant::now(); if true { let _ = '}'; } }
}
#[cfg(test)]
use std::time::SystemTime;
fn later() { let _ = std::time::SystemTime::now(); }
"#;
    let code = without_test_code(source);
    assert_eq!(clock_reads(&code), vec![(4, "Timestamp::now"), (11, "SystemTime::now")]);
}
