//! Reading a mapping file (TOML) into [`MappingFile`], with every problem located by file,
//! line and key.

use toml_edit::{Document, Item, Table, Value};

use crate::fields::{Kind, ValueType};
use crate::format::{FALSE_WORDS, Format, NumberStyle, RangePick, TRUE_WORDS, check_pattern, parse_offset};
use crate::{FieldSpec, Mapping, MappingError, MappingErrors, MappingFile, Unmatched};

/// The keys of the `[mapping]` table, with their meaning.
pub const META_KEYS: &[(&str, &str)] = &[
    ("name", "A short name for the mapping (shown by `leadrank mapping list`)."),
    ("description", "What the mapping reads, in a sentence or two."),
];

/// The keys of an input kind's table (`[leads]`, `[outcomes]`, ...), with their meaning.
pub const KIND_KEYS: &[(&str, &str)] = &[
    ("fields", "Table: leadrank field name -> the field's source (a column name, a list of columns, or a table of options)."),
    ("custom", "Table (leads only): custom field name -> its source, as in `fields`. Rules read custom fields the model declares."),
    ("null_values", "List of cell values read as empty in every column (any case), e.g. `[\"Select\", \"N/A\"]`."),
    (
        "unmapped",
        "`\"ignore\"` (the default): columns the mapping does not name are not read (`leadrank inspect` lists them). `\"custom\"` (leads only): they are kept as custom fields under their own names.",
    ),
];

/// The options of one field's source, with their meaning.
pub const FIELD_KEYS: &[(&str, &str)] = &[
    (
        "from",
        "The source column, or a list of columns whose non-empty values are joined (e.g. `[\"First Name\", \"Last Name\"]`). Without `from`, the field always takes `default`.",
    ),
    ("join", "The text between joined columns (default one space)."),
    (
        "values",
        "Table: source value -> leadrank value, matched ignoring case and surrounding spaces (picklists: lead source, industry, deal stage). Applied before `format`.",
    ),
    (
        "unmatched",
        "What a value that is not in `values` becomes: `\"keep\"` (itself, the default), `\"empty\"`, `\"default\"` (the field's `default`) or `\"error\"` (the row is rejected).",
    ),
    ("default", "The value when the cell is empty (or when there is no `from`)."),
    (
        "format",
        "How to read the value: `text`, `integer`, `number`, `range`, `bool`, `date`, `domain`, `list` or `first`. The default follows the field's type: `date` for times, `integer` for counts, `number` for amounts, `bool` for booleans, `list` for lists, `text` otherwise.",
    ),
    (
        "thousands",
        "integer, number, range: the thousands separator (default `\",\"`; `\"\"` for none). Groups must have three digits, so `12,5` is an error, not 125.",
    ),
    ("decimal", "number, range: the decimal mark (default `\".\"`)."),
    (
        "range",
        "range: which number of `201-500` the field gets: `\"low\"` (the default: 201), `\"high\"` (500) or `\"middle\"` (350). An open range like `1000+` gives its low bound.",
    ),
    ("true", "bool: the words read as true (any case; default yes, y, true, 1)."),
    ("false", "bool: the words read as false (any case; default no, n, false, 0)."),
    (
        "pattern",
        "date: the strftime pattern, or a list tried in order, with an explicit day/month order: `\"%Y-%m-%d %H:%M\"`, `\"%m/%d/%Y\"`, `\"%d/%m/%Y %I:%M %p\"`. RFC 3339 and YYYY-MM-DD are always read too.",
    ),
    ("utc_offset", "date: the UTC offset of times without one (default `\"UTC\"`; e.g. `\"+01:00\"`, `\"-05:00\"`)."),
    ("split", "list, first: the separator between entries in the source (default `\";\"`)."),
    (
        "optional",
        "`true`: the columns may be missing from the file (the field is then empty; `leadrank inspect` says so). Without it a column missing from a CSV file is an error. The built-in mappings mark every column but the id optional, since an export has the columns of its view.",
    ),
];

/// The option keys that belong to one format only.
const FORMAT_OF_KEY: &[(&str, &[&str])] = &[
    ("thousands", &["integer", "number", "range"]),
    ("decimal", &["number", "range"]),
    ("range", &["range"]),
    ("true", &["bool"]),
    ("false", &["bool"]),
    ("pattern", &["date"]),
    ("utc_offset", &["date"]),
    ("split", &["list", "first"]),
];

const FORMATS: &[&str] = &["text", "integer", "number", "range", "bool", "date", "domain", "list", "first"];

/// A closest-match suggestion: `; did you mean 'x'?` or nothing.
pub(crate) fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&word.to_lowercase(), &c.to_lowercase()), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map_or(String::new(), |(_, c)| format!("; did you mean '{c}'?"))
}

/// Parsing state: the file's text (for line numbers) and the problems found.
struct Parser<'a> {
    file: &'a str,
    text: &'a str,
    errors: Vec<MappingError>,
}

impl Parser<'_> {
    fn line(&self, span: Option<std::ops::Range<usize>>) -> usize {
        span.map_or(1, |s| line_of(self.text, s.start))
    }

    fn error(&mut self, span: Option<std::ops::Range<usize>>, key: &str, message: impl Into<String>) {
        let line = self.line(span);
        self.errors.push(MappingError { file: self.file.to_string(), line, key: key.to_string(), message: message.into() });
    }

    /// An error for every key of `table` not in `known`.
    fn unknown_keys(&mut self, table: &TableLike<'_>, path: &str, known: &[&str]) {
        for (key, span) in table.keys() {
            if !known.contains(&key.as_str()) {
                let hint = suggest(&key, known.iter().copied());
                self.error(span, &join(path, &key), format!("unknown key{hint} (valid: {})", known.join(", ")));
            }
        }
    }

    fn string(&mut self, item: &Item, span: Option<std::ops::Range<usize>>, key: &str) -> Option<String> {
        match item.as_str() {
            Some(s) => Some(s.to_string()),
            None => {
                self.error(span, key, format!("must be a string, found {}", item.type_name()));
                None
            }
        }
    }

    /// A string or a list of strings.
    fn strings(&mut self, item: &Item, span: Option<std::ops::Range<usize>>, key: &str) -> Option<Vec<String>> {
        if let Some(s) = item.as_str() {
            return Some(vec![s.to_string()]);
        }
        let Some(array) = item.as_array() else {
            self.error(span, key, format!("must be a string or a list of strings, found {}", item.type_name()));
            return None;
        };
        let mut out = Vec::new();
        for v in array.iter() {
            match v.as_str() {
                Some(s) => out.push(s.to_string()),
                None => {
                    self.error(span.clone(), key, "must be a list of strings");
                    return None;
                }
            }
        }
        Some(out)
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() { key.to_string() } else { format!("{path}.{key}") }
}

/// The 1-based line of byte `offset` in `text`.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())].iter().filter(|b| **b == b'\n').count() + 1
}

/// A table or an inline table, read the same way.
enum TableLike<'a> {
    Table(&'a Table),
    Inline(&'a toml_edit::InlineTable),
}

impl<'a> TableLike<'a> {
    fn of(item: &'a Item) -> Option<Self> {
        match item {
            Item::Table(t) => Some(TableLike::Table(t)),
            Item::Value(Value::InlineTable(t)) => Some(TableLike::Inline(t)),
            _ => None,
        }
    }

    /// (key, item, span of the key) in file order.
    fn entries(&self) -> Vec<(String, &'a Item, Option<std::ops::Range<usize>>)> {
        let mut out = Vec::new();
        match self {
            TableLike::Table(t) => {
                for (k, _) in t.iter() {
                    if let Some((key, item)) = t.get_key_value(k) {
                        out.push((k.to_string(), item, key.span().or_else(|| item.span())));
                    }
                }
            }
            TableLike::Inline(t) => {
                for (k, _) in t.iter() {
                    if let Some((key, item)) = t.get_key_value(k) {
                        out.push((k.to_string(), item, key.span().or_else(|| item.span())));
                    }
                }
            }
        }
        out
    }

    fn keys(&self) -> Vec<(String, Option<std::ops::Range<usize>>)> {
        self.entries().into_iter().map(|(k, _, s)| (k, s)).collect()
    }

    fn get(&self, key: &str) -> Option<(&'a Item, Option<std::ops::Range<usize>>)> {
        self.entries().into_iter().find(|(k, _, _)| k == key).map(|(_, i, s)| (i, s))
    }
}

/// Parses a mapping file. `file` names it in errors (a path, or a preset's name).
pub fn parse(text: &str, file: &str) -> Result<MappingFile, MappingErrors> {
    let doc = match Document::parse(text) {
        Ok(d) => d,
        Err(e) => {
            let line = e.span().map_or(1, |s| line_of(text, s.start));
            let message = e.message().trim().to_string();
            return Err(MappingErrors(vec![MappingError { file: file.into(), line, key: String::new(), message }]));
        }
    };
    let mut p = Parser { file, text, errors: Vec::new() };
    let mut out = MappingFile {
        source: file.to_string(),
        name: None,
        description: None,
        mappings: Vec::new(),
        segment: None,
        text: text.to_string(),
    };
    let root = TableLike::Table(doc.as_table());
    let mut known: Vec<&str> = vec!["mapping", "segment"];
    known.extend(Kind::ALL.iter().map(|k| k.as_str()));
    p.unknown_keys(&root, "", &known);
    if let Some((item, span)) = root.get("mapping") {
        match TableLike::of(item) {
            Some(meta) => {
                p.unknown_keys(&meta, "mapping", &META_KEYS.iter().map(|(k, _)| *k).collect::<Vec<_>>());
                if let Some((v, s)) = meta.get("name") {
                    out.name = p.string(v, s, "mapping.name");
                }
                if let Some((v, s)) = meta.get("description") {
                    out.description = p.string(v, s, "mapping.description");
                }
            }
            None => p.error(span, "mapping", "must be a table"),
        }
    }
    for kind in Kind::ALL {
        let Some((item, span)) = root.get(kind.as_str()) else { continue };
        let Some(table) = TableLike::of(item) else {
            p.error(span, kind.as_str(), "must be a table");
            continue;
        };
        let line = p.line(span.clone());
        if let Some(m) = parse_kind(&mut p, kind, &table, line) {
            out.mappings.push(m);
        }
    }
    if let Some((item, span)) = root.get("segment") {
        match TableLike::of(item) {
            Some(table) => {
                let line = p.line(span.clone());
                out.segment = parse_segment(&mut p, &table, line);
            }
            None => p.error(span, "segment", "must be a table"),
        }
    }
    if out.mappings.is_empty() && out.segment.is_none() && p.errors.is_empty() {
        let mut kinds: Vec<String> = Kind::ALL.iter().map(|k| format!("[{}]", k.as_str())).collect();
        kinds.push("[segment]".into());
        p.error(None, "", format!("the mapping maps no input: add a table for at least one of {}", kinds.join(", ")));
    }
    if p.errors.is_empty() { Ok(out) } else { Err(MappingErrors(p.errors)) }
}

fn parse_kind(p: &mut Parser<'_>, kind: Kind, table: &TableLike<'_>, line: usize) -> Option<Mapping> {
    parse_kind_at(p, kind, table, line, kind.as_str(), None)
}

/// Parses the table at `path` as a mapping of `kind`. With `id_from`, the kind's id field
/// comes from the message (`(field, where it comes from)`): mapping it is an error and no
/// field is required.
fn parse_kind_at(
    p: &mut Parser<'_>,
    kind: Kind,
    table: &TableLike<'_>,
    line: usize,
    path: &str,
    id_from: Option<(&str, &str)>,
) -> Option<Mapping> {
    let errors_before = p.errors.len();
    p.unknown_keys(table, path, &KIND_KEYS.iter().map(|(k, _)| *k).collect::<Vec<_>>());
    let mut mapping = Mapping {
        kind,
        source: p.file.to_string(),
        line,
        fields: Vec::new(),
        custom: Vec::new(),
        null_values: Vec::new(),
        keep_unmapped: false,
    };
    if let Some((item, span)) = table.get("null_values") {
        mapping.null_values = p.strings(item, span, &format!("{path}.null_values")).unwrap_or_default();
    }
    if let Some((item, span)) = table.get("unmapped") {
        match p.string(item, span.clone(), &format!("{path}.unmapped")).as_deref() {
            Some("ignore") => {}
            Some("custom") if kind.keeps_custom_fields() => mapping.keep_unmapped = true,
            Some("custom") => p.error(span, &format!("{path}.unmapped"), format!("{path} have no custom fields; use \"ignore\"")),
            Some(other) => p.error(span, &format!("{path}.unmapped"), format!("'{other}' is not \"ignore\" or \"custom\"")),
            None => {}
        }
    }
    let field_names: Vec<&str> = kind.fields().iter().map(|f| f.name).collect();
    if let Some((item, span)) = table.get("fields") {
        let fields_path = format!("{path}.fields");
        match TableLike::of(item) {
            Some(fields) => {
                for (name, item, key_span) in fields.entries() {
                    let key = join(&fields_path, &name);
                    if let Some((id, from)) = id_from.filter(|(id, _)| *id == name) {
                        p.error(key_span, &key, format!("{id} is the message's {from}; it cannot be mapped"));
                        continue;
                    }
                    let Some(def) = kind.field(&name) else {
                        let hint = suggest(&name, field_names.iter().copied());
                        let custom =
                            if kind.keeps_custom_fields() { format!("; custom fields go in [{path}.custom]") } else { String::new() };
                        p.error(
                            key_span,
                            &key,
                            format!("'{name}' is not a {path} field{hint}{custom} (fields: {})", field_names.join(", ")),
                        );
                        continue;
                    };
                    if let Some(spec) = parse_field(p, &name, Some(def.ty), item, key_span, &key) {
                        mapping.fields.push(spec);
                    }
                }
            }
            None => p.error(span, &fields_path, "must be a table"),
        }
    }
    if let Some((item, span)) = table.get("custom") {
        let custom_path = format!("{path}.custom");
        if !kind.keeps_custom_fields() {
            p.error(span.clone(), &custom_path, format!("{path} have no custom fields"));
        }
        match TableLike::of(item) {
            Some(custom) => {
                for (name, item, key_span) in custom.entries() {
                    let key = join(&custom_path, &name);
                    if kind.field(&name).is_some() {
                        p.error(key_span, &key, format!("'{name}' is a {path} field: map it in [{path}.fields]"));
                        continue;
                    }
                    if let Some(spec) = parse_field(p, &name, None, item, key_span, &key) {
                        mapping.custom.push(spec);
                    }
                }
            }
            None => p.error(span, &custom_path, "must be a table"),
        }
    }
    // Every required field must have a source.
    let required = if id_from.is_some() { &[][..] } else { kind.required() };
    for set in required {
        if !set.iter().any(|name| mapping.fields.iter().any(|f| f.target == *name)) && p.errors.len() == errors_before {
            let what = if set.len() == 1 { set[0].to_string() } else { set.join(" or ") };
            p.errors.push(MappingError {
                file: p.file.to_string(),
                line,
                key: format!("{path}.fields"),
                message: format!("no source for {what}, which every {} row needs", kind.as_str().trim_end_matches('s')),
            });
        }
    }
    (p.errors.len() == errors_before).then_some(mapping)
}

/// The default format of a field of type `ty` (text for custom fields).
fn default_format(ty: Option<ValueType>) -> &'static str {
    match ty {
        Some(ValueType::Time) => "date",
        Some(ValueType::Integer | ValueType::Count) => "integer",
        Some(ValueType::Amount) => "number",
        Some(ValueType::Bool) => "bool",
        Some(ValueType::List) => "list",
        _ => "text",
    }
}

fn parse_field(
    p: &mut Parser<'_>,
    target: &str,
    ty: Option<ValueType>,
    item: &Item,
    span: Option<std::ops::Range<usize>>,
    key: &str,
) -> Option<FieldSpec> {
    let errors_before = p.errors.len();
    let line = p.line(span.clone());
    // Ranges give whole numbers except for amounts.
    let whole = ty != Some(ValueType::Amount);
    let mut spec = FieldSpec {
        target: target.to_string(),
        key: key.to_string(),
        line,
        from: Vec::new(),
        join: " ".into(),
        values: Vec::new(),
        unmatched: Unmatched::Keep,
        default: None,
        format: Format::Text,
        optional: false,
    };
    // Shorthands: a column name, or a list of columns to join.
    if item.as_str().is_some() || item.as_array().is_some() {
        spec.from = p.strings(item, span, key)?;
        spec.format = build_format(p, default_format(ty), &TableLike::Inline(&toml_edit::InlineTable::new()), key, whole)?;
        return check_from(p, spec, key);
    }
    let Some(table) = TableLike::of(item) else {
        p.error(span, key, format!("must be a column name, a list of column names or a table of options, found {}", item.type_name()));
        return None;
    };
    p.unknown_keys(&table, key, &FIELD_KEYS.iter().map(|(k, _)| *k).collect::<Vec<_>>());
    if let Some((v, s)) = table.get("from") {
        spec.from = p.strings(v, s, &format!("{key}.from")).unwrap_or_default();
    }
    if let Some((v, s)) = table.get("join") {
        spec.join = p.string(v, s, &format!("{key}.join")).unwrap_or_default();
    }
    if let Some((v, s)) = table.get("default") {
        spec.default = p.string(v, s, &format!("{key}.default"));
    }
    if let Some((v, s)) = table.get("optional") {
        match v.as_bool() {
            Some(b) => spec.optional = b,
            None => p.error(s, &format!("{key}.optional"), format!("must be true or false, found {}", v.type_name())),
        }
    }
    if let Some((v, s)) = table.get("values") {
        let values_key = format!("{key}.values");
        match TableLike::of(v) {
            Some(values) => {
                for (from, to, s) in values.entries() {
                    if let Some(to) = p.string(to, s, &join(&values_key, &from)) {
                        spec.values.push((from.trim().to_string(), to));
                    }
                }
            }
            None => p.error(s, &values_key, "must be a table of source value = leadrank value"),
        }
    }
    if let Some((v, s)) = table.get("unmatched") {
        let unmatched_key = format!("{key}.unmatched");
        spec.unmatched = match p.string(v, s.clone(), &unmatched_key).as_deref() {
            Some("keep") | None => Unmatched::Keep,
            Some("empty") => Unmatched::Empty,
            Some("default") => Unmatched::Default,
            Some("error") => Unmatched::Error,
            Some(other) => {
                p.error(s, &unmatched_key, format!("'{other}' is not keep, empty, default or error"));
                Unmatched::Keep
            }
        };
        if spec.unmatched == Unmatched::Default && spec.default.is_none() {
            p.error(table.get("unmatched").and_then(|(_, s)| s), &unmatched_key, "\"default\" needs a `default` value");
        }
        if spec.values.is_empty() {
            p.error(table.get("unmatched").and_then(|(_, s)| s), &unmatched_key, "applies to `values`, which this field has none of");
        }
    }
    let format = match table.get("format") {
        Some((v, s)) => {
            let name = p.string(v, s.clone(), &format!("{key}.format"))?;
            if !FORMATS.contains(&name.as_str()) {
                let hint = suggest(&name, FORMATS.iter().copied());
                p.error(s, &format!("{key}.format"), format!("unknown format '{name}'{hint} (formats: {})", FORMATS.join(", ")));
                return None;
            }
            FORMATS.iter().copied().find(|f| *f == name).unwrap_or("text")
        }
        None => default_format(ty),
    };
    spec.format = build_format(p, format, &table, key, whole)?;
    if spec.from.is_empty() && spec.default.is_none() && p.errors.len() == errors_before {
        p.error(span, key, "needs `from` (a column) or a `default` value");
    }
    if p.errors.len() > errors_before {
        return None;
    }
    check_from(p, spec, key)
}

fn check_from(p: &mut Parser<'_>, spec: FieldSpec, key: &str) -> Option<FieldSpec> {
    if spec.from.iter().any(|c| c.trim().is_empty()) {
        p.error(None, key, "a column name is empty");
        return None;
    }
    Some(spec)
}

/// The format named `name` with its options from `table`; options of other formats are errors.
fn build_format(p: &mut Parser<'_>, name: &str, table: &TableLike<'_>, key: &str, whole: bool) -> Option<Format> {
    let errors_before = p.errors.len();
    for (option, formats) in FORMAT_OF_KEY {
        if let Some((_, s)) = table.get(option)
            && !formats.contains(&name)
        {
            p.error(
                s,
                &format!("{key}.{option}"),
                format!("applies to format {} only (this field's format is {name})", formats.join(" or ")),
            );
        }
    }
    let text = |p: &mut Parser<'_>, option: &str| table.get(option).and_then(|(v, s)| p.string(v, s, &format!("{key}.{option}")));
    let one_char = |p: &mut Parser<'_>, option: &str, default: Option<char>| -> Option<Option<char>> {
        match text(p, option) {
            None => Some(default),
            Some(s) if s.is_empty() => Some(None),
            Some(s) if s.chars().count() == 1 => Some(s.chars().next()),
            Some(s) => {
                p.error(table.get(option).and_then(|(_, sp)| sp), &format!("{key}.{option}"), format!("'{s}' must be one character"));
                None
            }
        }
    };
    let style = |p: &mut Parser<'_>| -> Option<NumberStyle> {
        let thousands = one_char(p, "thousands", Some(','))?;
        let decimal = one_char(p, "decimal", Some('.'))?.unwrap_or('.');
        if thousands == Some(decimal) {
            p.error(
                table.get("decimal").and_then(|(_, s)| s),
                &format!("{key}.decimal"),
                "the decimal mark and the thousands separator must differ",
            );
            return None;
        }
        Some(NumberStyle { thousands, decimal })
    };
    let words = |p: &mut Parser<'_>, option: &str, default: &[&str]| -> Vec<String> {
        match table.get(option) {
            Some((v, s)) => p.strings(v, s, &format!("{key}.{option}")).unwrap_or_default(),
            None => default.iter().map(|w| w.to_string()).collect(),
        }
    };
    let format = match name {
        "integer" => Format::Integer(style(p)?),
        "number" => Format::Number(style(p)?),
        "range" => {
            let style = style(p)?;
            let pick = match text(p, "range") {
                None => RangePick::Low,
                Some(r) => match RangePick::from_name(&r) {
                    Some(pick) => pick,
                    None => {
                        p.error(
                            table.get("range").and_then(|(_, s)| s),
                            &format!("{key}.range"),
                            format!("'{r}' is not low, high or middle"),
                        );
                        return None;
                    }
                },
            };
            Format::Range { style, pick, whole }
        }
        "bool" => {
            let (truthy, falsy) = (words(p, "true", TRUE_WORDS), words(p, "false", FALSE_WORDS));
            if let Some(w) = truthy.iter().find(|w| falsy.iter().any(|f| f.eq_ignore_ascii_case(w))) {
                p.error(table.get("true").and_then(|(_, s)| s), &format!("{key}.true"), format!("'{w}' is both true and false"));
            }
            Format::Bool { truthy, falsy }
        }
        "date" => {
            let patterns = words(p, "pattern", &[]);
            for pattern in &patterns {
                if let Err(e) = check_pattern(pattern) {
                    p.error(table.get("pattern").and_then(|(_, s)| s), &format!("{key}.pattern"), e);
                }
            }
            let offset = match text(p, "utc_offset") {
                None => jiff::tz::Offset::UTC,
                Some(o) => match parse_offset(&o) {
                    Ok(o) => o,
                    Err(e) => {
                        p.error(table.get("utc_offset").and_then(|(_, s)| s), &format!("{key}.utc_offset"), e);
                        return None;
                    }
                },
            };
            Format::Date { patterns, offset }
        }
        "domain" => Format::Domain,
        "list" => Format::List { split: text(p, "split").unwrap_or_else(|| ";".into()) },
        "first" => Format::First { split: text(p, "split").unwrap_or_else(|| ";".into()) },
        _ => Format::Text,
    };
    (p.errors.len() == errors_before).then_some(format)
}

/// The keys of the `[segment]` table, with their meaning.
pub const SEGMENT_KEYS: &[(&str, &str)] = &[
    (
        "identify",
        "Table, as `[leads]`: lead field -> the `identify` trait it comes from (a trait name, or a dotted path into an object trait such as `company.name`), with the same options (`format`, `values`, `default`, ...); `custom` for custom fields. The lead id is the message's `userId` and cannot be mapped.",
    ),
    (
        "group",
        "Table, as `[accounts]`: account field -> the `group` trait it comes from. The account id is the message's `groupId` and cannot be mapped.",
    ),
    ("events", "Table: `track` event name -> leadrank event type (e.g. `\"Demo Requested\" = \"demo_request\"`), matched ignoring case."),
    ("page_event", "The event type of `page` calls (default `\"page_view\"`); the page URL is the event's `url`."),
    (
        "unmapped_events",
        "What a `track` event not named in `events` becomes: `\"snake_case\"` (the default: `Trial Started` -> `trial_started`), `\"keep\"` (its name as it is) or `\"ignore\"` (accepted, not stored).",
    ),
];

fn parse_segment(p: &mut Parser<'_>, table: &TableLike<'_>, line: usize) -> Option<crate::segment::SegmentMapping> {
    use crate::segment::{SegmentMapping, UnmappedEvents};
    let errors_before = p.errors.len();
    p.unknown_keys(table, "segment", &SEGMENT_KEYS.iter().map(|(k, _)| *k).collect::<Vec<_>>());
    let empty = |kind: Kind| Mapping {
        kind,
        source: p.file.to_string(),
        line,
        fields: Vec::new(),
        custom: Vec::new(),
        null_values: Vec::new(),
        keep_unmapped: false,
    };
    let mut out = SegmentMapping {
        source: p.file.to_string(),
        line,
        identify: empty(Kind::Leads),
        group: empty(Kind::Accounts),
        events: Vec::new(),
        page_event: "page_view".into(),
        unmapped_events: UnmappedEvents::SnakeCase,
    };
    for (name, kind, id) in [("identify", Kind::Leads, ("lead_id", "userId")), ("group", Kind::Accounts, ("account_id", "groupId"))] {
        let Some((item, span)) = table.get(name) else { continue };
        let path = format!("segment.{name}");
        let Some(t) = TableLike::of(item) else {
            p.error(span, &path, "must be a table");
            continue;
        };
        let at = p.line(span.clone());
        if let Some(m) = parse_kind_at(p, kind, &t, at, &path, Some(id)) {
            if m.keep_unmapped {
                p.error(span, &format!("{path}.unmapped"), "traits are read only through the mapping; use \"ignore\"");
            }
            if name == "identify" { out.identify = m } else { out.group = m }
        }
    }
    if let Some((item, span)) = table.get("events") {
        match TableLike::of(item) {
            Some(events) => {
                for (from, to, s) in events.entries() {
                    let key = join("segment.events", &from);
                    if let Some(to) = p.string(to, s.clone(), &key) {
                        if let Err(why) = crate::segment::check_event_type(&to) {
                            p.error(s, &key, why);
                        } else if out.events.iter().any(|(f, _)| f.eq_ignore_ascii_case(from.trim())) {
                            p.error(s, &key, "this event name is mapped twice (names match ignoring case)");
                        } else {
                            out.events.push((from.trim().to_string(), to));
                        }
                    }
                }
            }
            None => p.error(span, "segment.events", "must be a table of track event name = event type"),
        }
    }
    if let Some((item, span)) = table.get("page_event")
        && let Some(to) = p.string(item, span.clone(), "segment.page_event")
    {
        match crate::segment::check_event_type(&to) {
            Ok(()) => out.page_event = to,
            Err(why) => p.error(span, "segment.page_event", why),
        }
    }
    if let Some((item, span)) = table.get("unmapped_events") {
        match p.string(item, span.clone(), "segment.unmapped_events").as_deref() {
            Some("snake_case") => out.unmapped_events = UnmappedEvents::SnakeCase,
            Some("keep") => out.unmapped_events = UnmappedEvents::Keep,
            Some("ignore") => out.unmapped_events = UnmappedEvents::Ignore,
            Some(other) => p.error(span, "segment.unmapped_events", format!("'{other}' is not \"snake_case\", \"keep\" or \"ignore\"")),
            None => {}
        }
    }
    (p.errors.len() == errors_before).then_some(out)
}
