//! Any bytes given as a leads, accounts or events file (CSV or JSON Lines) are read into
//! accepted records and row errors, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use leadrank_core::engine::DatasetBuilder;
use leadrank_core::model::builtin::default_model;
use leadrank_io::read::{load_accounts, load_events, load_leads, InputFormat, LoadReport};

fuzz_target!(|data: &[u8]| {
    let dir = std::env::temp_dir().join(format!("leadrank-fuzz-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let model = default_model();
    for format in [InputFormat::Csv, InputFormat::JsonLines] {
        let path = dir.join("input");
        if std::fs::write(&path, data).is_err() {
            return;
        }
        let mut b = DatasetBuilder::new(&model);
        let mut report = LoadReport::default();
        let _ = load_leads(&path, format, &mut b, &model, &mut report);
        let _ = load_accounts(&path, format, &mut b, &mut report);
        let _ = load_events(&path, format, &mut b, &model, &mut report, &mut |_| {});
        let d = b.build();
        let _ = d.score_all(&model, leadrank_core::records::parse_time("2026-06-30").ok().flatten().unwrap_or_default(), &|_| {});
    }
});
