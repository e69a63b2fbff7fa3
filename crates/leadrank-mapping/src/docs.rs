//! Reference documentation generated from the definitions the readers and the mapping parser
//! use: `docs/input-fields.md` and the key tables of `docs/mapping.md`.

use std::fmt::Write as _;

use crate::fields::Kind;
use crate::file::{FIELD_KEYS, KIND_KEYS, META_KEYS, SEGMENT_KEYS};

/// The input field reference (`docs/input-fields.md`, printed by `leadrank mapping fields`).
pub fn input_fields_markdown() -> String {
    let mut s = String::new();
    s.push_str("# Input fields\n\n");
    s.push_str(
        "The files leadrank reads: leads, accounts, events, outcomes (opportunities), consent records and stage history, \
         as CSV with a header row (UTF-8; `,` `;` tab or `|` found from the header line, or `--delimiter`) or JSON Lines \
         (one object per line). Column names are the field names below; a CRM export with other names is read through a \
         mapping (`--mapping`, see [mapping.md](mapping.md)), which also reads other date, number and yes/no formats.\n\n",
    );
    s.push_str(
        "In every file a value is trimmed and an empty value is absent. A row with a bad value is rejected with the file, \
         line, column and every bad field, and the good rows go on. `leadrank inspect FILE` shows what a file holds and what \
         would be rejected before you score.\n\n",
    );
    s.push_str("This page is generated from the readers' own field definitions (`leadrank mapping fields` prints it).\n\n");
    s.push_str("## Contents\n\n");
    for kind in Kind::ALL {
        let _ = writeln!(s, "- [{}](#{})", kind.as_str(), kind.as_str());
    }
    s.push_str("- [Value types](#value-types)\n\n");
    for kind in Kind::ALL {
        let _ = writeln!(s, "## {}\n\n{}\n", kind.as_str(), kind.about());
        let required: Vec<String> =
            kind.required().iter().map(|set| set.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(" or ")).collect();
        let _ = writeln!(s, "Required: {}.\n", required.join(", "));
        s.push_str("| Field | Type | Meaning | Example |\n|---|---|---|---|\n");
        for f in kind.fields() {
            let example = if f.example.is_empty() { String::new() } else { format!("`{}`", f.example) };
            let _ = writeln!(s, "| `{}` | {} | {} | {} |", f.name, f.ty.name(), f.doc.replace('|', "\\|"), example);
        }
        s.push('\n');
    }
    s.push_str("## Value types\n\n| Type | Accepted values |\n|---|---|\n");
    let mut seen = Vec::new();
    for kind in Kind::ALL {
        for f in kind.fields() {
            if !seen.contains(&f.ty.name()) {
                seen.push(f.ty.name());
                let _ = writeln!(s, "| {} | {} |", f.ty.name(), f.ty.accepted().replace('|', "\\|"));
            }
        }
    }
    s
}

/// The tables of mapping file keys (part of `docs/mapping.md`).
pub fn mapping_keys_markdown() -> String {
    let mut s = String::new();
    let table = |s: &mut String, title: &str, keys: &[(&str, &str)]| {
        let _ = writeln!(s, "### {title}\n\n| Key | Meaning |\n|---|---|");
        for (k, doc) in keys {
            let _ = writeln!(s, "| `{k}` | {} |", doc.replace('|', "\\|"));
        }
        s.push('\n');
    };
    table(&mut s, "`[mapping]`", META_KEYS);
    table(&mut s, "`[leads]`, `[accounts]`, `[events]`, `[outcomes]`, `[consents]`, `[stages]`", KIND_KEYS);
    table(&mut s, "A field's source", FIELD_KEYS);
    table(&mut s, "`[segment]` (Segment calls: see segment.md)", SEGMENT_KEYS);
    s
}
