//! The committed model language reference is the one generated from the language table.

use leadrank_core::model::reference_markdown;

#[test]
fn the_committed_reference_is_the_generated_one() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/model-language.md");
    let generated = reference_markdown();
    if std::env::var_os("LEADRANK_UPDATE_DOCS").is_some() {
        std::fs::write(path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/model-language.md differs from the language table; regenerate it with \
         `LEADRANK_UPDATE_DOCS=1 cargo test -p leadrank-core --test language` (or `leadrank model reference`)"
    );
}
