use super::*;

fn parse(text: &str) -> Result<MappingFile, MappingErrors> {
    MappingFile::parse(text, "m.toml")
}

fn columns(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

const HUBSPOT_LIKE: &str = r#"
[mapping]
name = "test"

[leads]
null_values = ["Select"]

[leads.fields]
lead_id = "Record ID"
first_name = "First Name"
employees = { from = "Number of Employees", format = "range", range = "middle" }
created_at = { from = "Create Date", pattern = "%m/%d/%Y %H:%M" }
consent = { from = "Opt In", true = ["Subscribed"], false = ["Unsubscribed"] }
source = { from = "Source", values = { "Organic Search" = "organic" }, unmatched = "error" }
domain = { from = "Website", format = "domain" }
country = { default = "DE" }

[leads.custom]
full_name = { from = ["First Name", "Last Name"] }
"#;

#[test]
fn maps_a_row_with_every_kind_of_source() {
    let file = parse(HUBSPOT_LIKE).unwrap();
    let m = file.get(Kind::Leads).unwrap();
    let cols =
        columns(&["Record ID", "First Name", "Last Name", "Number of Employees", "Create Date", "Opt In", "Source", "Website", "Notes"]);
    let bound = m.bind(&cols, "x.csv", Presence::Required).unwrap();
    assert_eq!(bound.names(), ["lead_id", "first_name", "employees", "created_at", "consent", "source", "domain", "country", "full_name"]);
    assert_eq!(bound.unmapped().collect::<Vec<_>>(), ["Notes"]);
    let row = bound.apply(&[
        "17",
        " Dana ",
        "Reyes",
        "201-500",
        "01/05/2024 10:22",
        "subscribed",
        "organic search",
        "https://www.acme.com/x",
        "n",
    ]);
    assert!(row.problems.is_empty(), "{:?}", row.problems);
    assert_eq!(row.values, ["17", "Dana", "350", "2024-01-05T10:22:00Z", "true", "organic", "acme.com", "DE", "Dana Reyes"]);
    // Null values and joined columns with one part missing.
    let row = bound.apply(&["18", "Select", "Reyes", "", "", "", "", "", ""]);
    assert_eq!(row.values[1], "");
    assert_eq!(row.values[8], "Reyes");
    // Every bad value is reported against its output field.
    let row = bound.apply(&["19", "", "", "lots", "13/45/2024 10:00", "maybe", "Carrier pigeon", "not a site", ""]);
    let bad: Vec<(&str, &str)> = row.problems.iter().map(|(i, m)| (bound.names()[*i].as_str(), m.as_str())).collect();
    assert_eq!(bad.len(), 5, "{bad:?}");
    assert!(bad[0].1.contains("'lots' is not a range"));
    assert!(bad[1].1.contains("%m/%d/%Y %H:%M"));
    assert!(bad[3].1.contains("'Carrier pigeon' is not one of the mapped values (Organic Search)"));
    assert_eq!(bound.origin(2), ("Number of Employees".to_string(), Some(3)));
    assert_eq!(bound.origin(8), ("First Name + Last Name".to_string(), Some(1)));
    assert_eq!(bound.origin(7), ("(default)".to_string(), None));
}

#[test]
fn a_missing_column_is_an_error_with_the_mapping_line_unless_optional() {
    let file = parse(HUBSPOT_LIKE).unwrap();
    let m = file.get(Kind::Leads).unwrap();
    let cols = columns(&["Record ID", "First name", "Last Name", "Create Date", "Opt In", "Source", "Web site"]);
    let err = m.bind(&cols, "x.csv", Presence::Required).unwrap_err().to_string();
    // Column names match ignoring case; the others are named with their key's line.
    assert!(!err.contains("'First Name'"), "{err}");
    assert!(err.contains("m.toml:11: leads.fields.employees.from: column 'Number of Employees' is not in x.csv"), "{err}");
    assert!(err.contains("m.toml:15: leads.fields.domain.from: column 'Website' is not in x.csv; did you mean 'Web site'?"), "{err}");
    assert!(m.bind(&cols, "x.jsonl", Presence::Optional).is_ok());
    let optional = parse("[leads.fields]\nlead_id = \"id\"\nemail = { from = \"Email\", optional = true }\n").unwrap();
    let bound = optional.get(Kind::Leads).unwrap().bind(&columns(&["id"]), "x.csv", Presence::Required).unwrap();
    assert_eq!(bound.apply(&["7"]).values, ["7", ""]);
}

#[test]
fn unknown_keys_and_fields_are_located_with_a_suggestion() {
    let text = "[leads]\nnull_value = []\n\n[leads.fields]\nlead_id = \"id\"\nemial = \"Email\"\nemployees = { from = \"n\", fromat = \"range\" }\ncreated_at = { from = \"d\", pattern = \"%H:%M\" }\ncountry = { from = \"c\", range = \"low\" }\n\n[deals]\nx = 1\n";
    let err = parse(text).unwrap_err().to_string();
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 6, "{err}");
    assert!(err.contains("m.toml:11: deals: unknown key"), "{err}");
    assert!(err.contains("m.toml:2: leads.null_value: unknown key; did you mean 'null_values'?"), "{err}");
    assert!(err.contains("m.toml:6: leads.fields.emial: 'emial' is not a leads field; did you mean 'email'?"), "{err}");
    assert!(err.contains("m.toml:7: leads.fields.employees.fromat: unknown key; did you mean 'format'?"), "{err}");
    assert!(err.contains("m.toml:8: leads.fields.created_at.pattern: '%H:%M' has no full date"), "{err}");
    assert!(err.contains("m.toml:9: leads.fields.country.range: applies to format range only (this field's format is text)"), "{err}");
    let err = parse("[outcomes.fields]\nopportunity_id = \"id\"\nstatus = \"s\"\n").unwrap_err().to_string();
    assert!(err.contains("m.toml:1: outcomes.fields: no source for lead_id or account_id"), "{err}");
    let err = parse("[accounts.custom]\nx = \"y\"\n[accounts.fields]\naccount_id = \"id\"\n").unwrap_err().to_string();
    assert!(err.contains("accounts.custom: accounts have no custom fields"), "{err}");
    let err = parse("[leads.fields\n").unwrap_err().to_string();
    assert!(err.starts_with("m.toml:1: "), "{err}");
    let err = parse("[mapping]\nname = \"x\"\n").unwrap_err().to_string();
    assert!(err.contains("maps no input"), "{err}");
}

#[test]
fn typed_fields_read_separators_and_words_by_default() {
    let file = parse("[leads.fields]\nlead_id = \"id\"\nemployees = \"n\"\nannual_revenue = \"r\"\nbudget_owner = \"b\"\ntech_stack = { from = \"t\", split = \",\" }\n").unwrap();
    let bound = file.get(Kind::Leads).unwrap().bind(&columns(&["id", "n", "r", "b", "t"]), "x.csv", Presence::Required).unwrap();
    let row = bound.apply(&["1", "1,200", "$2,500,000.50", "Y", "Salesforce, HubSpot"]);
    assert!(row.problems.is_empty(), "{:?}", row.problems);
    assert_eq!(row.values, ["1", "1200", "2500000.5", "true", "Salesforce;HubSpot"]);
    let row = bound.apply(&["1", "12,5", "", "", ""]);
    assert_eq!(row.problems.len(), 1);
}

#[test]
fn unmapped_columns_can_be_kept_as_custom_fields() {
    let file = parse("[leads]\nunmapped = \"custom\"\n[leads.fields]\nlead_id = \"Prospect ID\"\n").unwrap();
    let bound =
        file.get(Kind::Leads).unwrap().bind(&columns(&["Prospect ID", "Lead Origin", "email"]), "x.csv", Presence::Required).unwrap();
    // A column named like a leadrank field is not a custom field.
    assert_eq!(bound.names(), ["lead_id", "Lead Origin"]);
    assert_eq!(bound.apply(&["p1", "API", "a@b.com"]).values, ["p1", "API"]);
}

#[test]
fn one_mapping_per_kind_across_files() {
    let mut set = MappingSet::default();
    set.add(presets::find("hubspot-contacts").unwrap().parse().unwrap()).unwrap();
    set.add(presets::find("hubspot-deals").unwrap().parse().unwrap()).unwrap();
    assert!(set.get(Kind::Leads).is_some() && set.get(Kind::Outcomes).is_some() && set.get(Kind::Events).is_none());
    let err = set.add(presets::find("salesforce-leads").unwrap().parse().unwrap()).unwrap_err();
    assert!(err.contains("hubspot-contacts and salesforce-leads both map leads"), "{err}");
}

#[test]
fn every_preset_parses_and_documents_itself() {
    for preset in presets::ALL {
        let file = preset.parse().unwrap_or_else(|e| panic!("{}: {e}", preset.name));
        assert_eq!(file.name.as_deref(), Some(preset.name));
        assert!(!preset.description().is_empty(), "{}", preset.name);
    }
}

/// Set `LEADRANK_UPDATE_DOCS=1` to rewrite the generated documentation.
#[test]
fn the_reference_docs_are_generated_and_cover_every_key() {
    let bless = std::env::var_os("LEADRANK_UPDATE_DOCS").is_some();
    let fields_path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/input-fields.md");
    let mapping_path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/mapping.md");
    let (start, end) = ("<!-- keys:start -->\n", "<!-- keys:end -->");
    if bless {
        std::fs::write(fields_path, input_fields_markdown()).unwrap();
        let doc = std::fs::read_to_string(mapping_path).unwrap();
        let (head, rest) = doc.split_once(start).unwrap();
        let (_, tail) = rest.split_once(end).unwrap();
        std::fs::write(mapping_path, format!("{head}{start}{}{end}{tail}", mapping_keys_markdown())).unwrap();
    }
    let on_disk = std::fs::read_to_string(fields_path).unwrap_or_default();
    assert!(
        on_disk == input_fields_markdown(),
        "docs/input-fields.md differs from the field definitions; regenerate it with `leadrank mapping fields > docs/input-fields.md` \
         (or LEADRANK_UPDATE_DOCS=1 cargo test -p leadrank-mapping)"
    );
    let mapping_doc = std::fs::read_to_string(mapping_path).unwrap_or_default();
    assert!(
        mapping_doc.contains(&format!("{start}{}{end}", mapping_keys_markdown())),
        "docs/mapping.md does not hold the current key tables; put the output of `leadrank mapping keys` between its keys markers \
         (or LEADRANK_UPDATE_DOCS=1 cargo test -p leadrank-mapping)"
    );
}
