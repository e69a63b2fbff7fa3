//! The web app end to end in a real browser: `leadrank serve --demo` on a free port with a
//! fresh database, then the Playwright script of `crates/leadrank-web/tests/browser/`
//! (`e2e.mjs`) driving Debian's Chromium through every role's screens: sign-in, a lead worked
//! to sql, a rejection, a re-assignment, the live queue, hostile input shown as text, CSRF
//! and session fixation, another team's lead, axe-core on every screen, screenshots at
//! 1280 and 390 px (kept under `target/browser-artifacts/`) and the queue's first paint.
//!
//! It needs Node.js, the script's packages (`npm ci` in that folder) and Chromium
//! (`/usr/bin/chromium`, or `LEADRANK_CHROMIUM`). When one is missing the test says which and
//! is skipped; under `CI` that is a failure.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The scenarios `e2e.mjs` runs (a to m); all must pass.
const SCENARIOS: usize = 13;

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn script_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../leadrank-web/tests/browser");
    dir.canonicalize().unwrap_or(dir)
}

/// What the browser test needs and does not find (empty: all there).
fn missing(chromium: &Path) -> Vec<String> {
    let mut missing = Vec::new();
    let node = Command::new("node").arg("--version").output();
    if !node.is_ok_and(|o| o.status.success()) {
        missing.push("Node.js (`node` on the PATH)".to_string());
    }
    let dir = script_dir();
    for package in ["playwright-core", "axe-core"] {
        if !dir.join("node_modules").join(package).join("package.json").is_file() {
            missing.push(format!("the npm package {package} (run `npm ci` in {})", dir.display()));
        }
    }
    if !chromium.is_file() {
        missing.push(format!("Chromium at {} (apt-get install chromium, or set LEADRANK_CHROMIUM)", chromium.display()));
    }
    missing
}

fn read(path: &Path) -> String {
    let mut s = String::new();
    if let Ok(mut f) = std::fs::File::open(path) {
        let _ = f.read_to_string(&mut s);
    }
    s
}

#[test]
fn web_app_in_chromium() {
    let chromium = std::env::var_os("LEADRANK_CHROMIUM").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    let missing = missing(&chromium);
    if !missing.is_empty() {
        let what = missing.join("; ");
        if std::env::var_os("CI").is_some() {
            panic!("the browser tests cannot run and CI is set: missing {what}");
        }
        eprintln!("NOTICE: skipping the browser tests: missing {what}");
        return;
    }

    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db").display().to_string();
    let (out_path, err_path) = (dir.path().join("serve.out"), dir.path().join("serve.err"));
    let child = Command::new(env!("CARGO_BIN_EXE_leadrank"))
        .args(["serve", "--demo", "--db", &db, "--addr", "127.0.0.1:0"])
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap())
        .spawn()
        .expect("starts leadrank serve --demo");
    let mut server = Server(child);

    // The demo's users are printed once the data is loaded and the server listens.
    let started = Instant::now();
    loop {
        let text = read(&out_path);
        if text.lines().any(|l| l.trim_start().starts_with("admin ")) {
            break;
        }
        assert!(server.0.try_wait().unwrap().is_none(), "serve --demo exited: {}\n{}", text, read(&err_path));
        assert!(started.elapsed() < Duration::from_secs(300), "serve --demo printed no users within 300 s:\n{text}\n{}", read(&err_path));
        std::thread::sleep(Duration::from_millis(100));
    }
    println!("serve --demo ready after {:.1} s", started.elapsed().as_secs_f64());

    let (log_path, log_err) = (dir.path().join("e2e.out"), dir.path().join("e2e.err"));
    let mut node = Command::new("node")
        .arg("e2e.mjs")
        .arg("--serve-log")
        .arg(&out_path)
        .arg("--chromium")
        .arg(&chromium)
        .current_dir(script_dir())
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&log_path).unwrap())
        .stderr(std::fs::File::create(&log_err).unwrap())
        .spawn()
        .expect("starts node");
    let deadline = Instant::now() + Duration::from_secs(900);
    let status = loop {
        if let Some(status) = node.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = node.kill();
            let _ = node.wait();
            panic!("the browser tests took over 900 s:\n{}\n{}", read(&log_path), read(&log_err));
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    let (out, err) = (read(&log_path), read(&log_err));
    println!("{out}");
    if !err.trim().is_empty() {
        println!("stderr:\n{err}");
    }
    assert!(status.success(), "the browser tests failed ({status}); the failing steps are listed above");
    let closing = format!("browser scenarios: {SCENARIOS} passed, 0 failed");
    assert!(out.lines().any(|l| l == closing), "expected the line {closing:?}");
    assert!(server.0.try_wait().unwrap().is_none(), "serve exited during the tests: {}", read(&err_path));
    let log = read(&err_path);
    assert!(!log.contains(" ERROR "), "the server logged errors:\n{log}");
}
