//! Score writers: JSON Lines (one object per lead), CSV (one row per lead) and a ranked table.

use std::io::{self, Write};

use comfy_table::{Cell, CellAlignment, ContentArrangement, Table, presets::UTF8_BORDERS_ONLY};
use leadrank_core::{CompiledModel, Score};
use rayon::prelude::*;

/// How scores are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    JsonLines,
    Csv,
    Table,
}

/// Writes scores in `format`. The table is ranked by total (highest first) and limited to
/// `top` rows when given; the other formats keep input order and every lead.
pub fn write_scores(
    out: &mut dyn Write,
    scores: &[Score],
    model: &CompiledModel,
    format: OutputFormat,
    top: Option<usize>,
) -> io::Result<()> {
    let mut w = ScoreWriter::new(model, format, top);
    w.write_batch(out, scores.to_vec())?;
    w.finish(out)
}

/// Writes scores batch by batch, so a large run never holds every score in memory.
/// JSON Lines and CSV rows are encoded in parallel and written in input order; the table
/// keeps only the rows it will show.
pub struct ScoreWriter<'m> {
    model: &'m CompiledModel,
    format: OutputFormat,
    top: Option<usize>,
    header_written: bool,
    /// Table rows kept so far (ranked at the end) and the counts for its footer.
    kept: Vec<Score>,
    count: usize,
    quality: usize,
    /// The table's width limit in characters (the terminal's), if any.
    width: Option<u16>,
}

impl<'m> ScoreWriter<'m> {
    /// A writer for `format`; `top` limits the table to the N best leads.
    pub fn new(model: &'m CompiledModel, format: OutputFormat, top: Option<usize>) -> Self {
        ScoreWriter { model, format, top, header_written: false, kept: Vec::new(), count: 0, quality: 0, width: None }
    }

    /// Fits the table into `width` characters: the dimension columns are left out when the
    /// table would be wider (the footer says so), and the reasons wrap.
    pub fn with_width(mut self, width: Option<u16>) -> Self {
        self.width = width;
        self
    }

    /// The encoder of this writer's rows, to encode chunks on other threads (see
    /// [`RowEncoder`] and [`Self::write_encoded`]).
    pub fn row_encoder(&self) -> RowEncoder<'m> {
        RowEncoder { model: self.model, format: self.format }
    }

    /// Writes rows made by [`RowEncoder::encode`] (after the CSV header, the first time).
    pub fn write_encoded(&mut self, out: &mut dyn Write, rows: &EncodedRows) -> io::Result<()> {
        self.write_header(out)?;
        self.count += rows.leads;
        self.quality += rows.quality;
        out.write_all(&rows.bytes)
    }

    fn write_header(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if self.format == OutputFormat::Csv && !self.header_written {
            let mut header: Vec<&str> = vec!["lead_id", "total", "quality", "grade", "cell"];
            header.extend(self.model.dimensions.iter().map(|d| &*d.id));
            header.push("reasons");
            let mut w = csv::Writer::from_writer(&mut *out);
            w.write_record(&header)?;
            w.flush()?;
            self.header_written = true;
        }
        Ok(())
    }

    /// Writes (or, for the table, keeps) one batch of scores.
    pub fn write_batch(&mut self, out: &mut dyn Write, scores: Vec<Score>) -> io::Result<()> {
        if self.format == OutputFormat::Table {
            self.count += scores.len();
            self.quality += scores.iter().filter(|s| s.quality).count();
            self.kept.extend(scores);
            rank(&mut self.kept);
            if let Some(n) = self.top {
                self.kept.truncate(n);
            }
            return Ok(());
        }
        let encoder = self.row_encoder();
        let chunks: Vec<io::Result<EncodedRows>> = scores.par_chunks(1024).map(|chunk| encoder.encode(chunk)).collect();
        self.write_header(out)?;
        for c in chunks {
            self.write_encoded(out, &c?)?;
        }
        Ok(())
    }

    /// Finishes the output (the table and its footer are written here).
    pub fn finish(mut self, out: &mut dyn Write) -> io::Result<()> {
        if self.format != OutputFormat::Table {
            return self.write_header(out);
        }
        let model = self.model;
        let mut table = self.table(true);
        let mut hidden = false;
        if let Some(width) = self.width
            && widest_line(&table) > usize::from(width)
        {
            table = self.table(false);
            hidden = true;
            table.set_content_arrangement(ContentArrangement::Dynamic);
            table.set_width(width);
        }
        writeln!(out, "{table}")?;
        writeln!(
            out,
            "{} leads, {} quality ({:.1}%); model {}{}",
            self.count,
            self.quality,
            if self.count == 0 { 0.0 } else { 100.0 * self.quality as f64 / self.count as f64 },
            model.id(),
            if self.kept.len() < self.count {
                format!("; top {} shown (--top N shows more, --top 0 all)", self.kept.len())
            } else {
                String::new()
            }
        )?;
        if hidden {
            writeln!(out, "Dimension columns hidden to fit {} columns; --format csv has them all.", self.width.unwrap_or_default())?;
        }
        Ok(())
    }

    /// The ranked table of the kept rows, with or without one column per dimension.
    fn table(&self, with_dimensions: bool) -> Table {
        let model = self.model;
        let mut table = Table::new();
        table.load_preset(UTF8_BORDERS_ONLY);
        let mut header = vec!["#".to_string(), "lead".into(), "total".into(), "grade".into(), "cell".into()];
        if with_dimensions {
            header.extend(model.dimensions.iter().map(|d| d.id.to_string()));
        }
        header.push("top reasons".into());
        table.set_header(header);
        for (i, s) in self.kept.iter().enumerate() {
            let mut row = vec![
                Cell::new(i + 1).set_alignment(CellAlignment::Right),
                Cell::new(&s.lead_id),
                Cell::new(s.total).set_alignment(CellAlignment::Right),
                Cell::new(if s.quality { format!("{} ✓", s.grade) } else { s.grade.to_string() }),
                Cell::new(&s.cell),
            ];
            if with_dimensions {
                for d in &model.dimensions {
                    row.push(Cell::new(s.dimensions.get(&d.id)).set_alignment(CellAlignment::Right));
                }
            }
            let mut top_reasons: Vec<_> = s.reasons.iter().filter(|r| &*r.rule != "cap").collect();
            top_reasons.sort_by_key(|r| -r.points.abs());
            let text: Vec<String> = top_reasons.iter().take(3).map(|r| format!("{} {:+}", r.rule, r.points)).collect();
            row.push(Cell::new(text.join(", ")));
            table.add_row(row);
        }
        table
    }
}

/// The width in characters of a rendered table's widest line.
pub fn widest_line(table: &Table) -> usize {
    table.to_string().lines().map(|l| l.chars().count()).max().unwrap_or(0)
}

/// Encodes scores as rows of a [`ScoreWriter`]'s format: JSON Lines objects or CSV rows
/// without the header. It is `Copy` and `Sync`, so chunks of scores can be encoded on many
/// threads and written in order with [`ScoreWriter::write_encoded`].
#[derive(Clone, Copy)]
pub struct RowEncoder<'m> {
    model: &'m CompiledModel,
    format: OutputFormat,
}

/// Rows encoded by [`RowEncoder::encode`], with the counts the writer's footer needs.
pub struct EncodedRows {
    pub bytes: Vec<u8>,
    /// Leads in these rows.
    pub leads: usize,
    /// Quality leads among them.
    pub quality: usize,
}

impl RowEncoder<'_> {
    /// The rows of `scores`, in order. The table has no rows of its own: empty bytes.
    pub fn encode(&self, scores: &[Score]) -> io::Result<EncodedRows> {
        let mut bytes = Vec::new();
        match self.format {
            OutputFormat::JsonLines => {
                bytes.reserve(scores.len() * 800);
                for s in scores {
                    serde_json::to_writer(&mut bytes, s).map_err(io::Error::other)?;
                    bytes.push(b'\n');
                }
            }
            OutputFormat::Csv => {
                bytes.reserve(scores.len() * 160);
                let mut w = csv::WriterBuilder::new().has_headers(false).from_writer(bytes);
                // One text buffer for the numbers and the reasons of every row.
                let mut text = String::new();
                for s in scores {
                    w.write_field(&s.lead_id)?;
                    w.write_field(format_into(&mut text, s.total))?;
                    w.write_field(if s.quality { "true" } else { "false" })?;
                    w.write_field(&*s.grade)?;
                    w.write_field(&s.cell)?;
                    for (k, d) in self.model.dimensions.iter().enumerate() {
                        // Dimensions are in model order; `get` is the fallback for any other.
                        let points = match s.dimensions.0.get(k) {
                            Some((id, points)) if *id == d.id => *points,
                            _ => s.dimensions.get(&d.id),
                        };
                        w.write_field(format_into(&mut text, points))?;
                    }
                    text.clear();
                    write_reasons_summary(&mut text, s);
                    w.write_field(&text)?;
                    w.write_record(None::<&[u8]>)?;
                }
                bytes = w.into_inner().map_err(|e| io::Error::other(e.to_string()))?;
            }
            OutputFormat::Table => {}
        }
        Ok(EncodedRows { bytes, leads: scores.len(), quality: scores.iter().filter(|s| s.quality).count() })
    }
}

/// Highest total first; ties by lead id so the ranking is stable.
fn rank(scores: &mut [Score]) {
    scores.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.lead_id.cmp(&b.lead_id)));
}

/// "demo_request +25; personal_email -10; cap:intent -5" for the CSV `reasons` column.
pub fn reasons_summary(score: &Score) -> String {
    let mut out = String::new();
    write_reasons_summary(&mut out, score);
    out
}

/// Appends [`reasons_summary`] to `out`.
fn write_reasons_summary(out: &mut String, score: &Score) {
    let mut digits = itoa::Buffer::new();
    for (i, r) in score.reasons.iter().enumerate() {
        if i > 0 {
            out.push_str("; ");
        }
        if &*r.rule == "cap" {
            out.push_str("cap:");
            out.push_str(&r.dimension);
        } else {
            out.push_str(&r.rule);
        }
        // `{:+}`: a sign on every number, `+0` included.
        out.push(' ');
        if r.points >= 0 {
            out.push('+');
        }
        out.push_str(digits.format(r.points));
    }
}

/// `value` as text in `buf` (cleared first), for writing without a new String.
fn format_into(buf: &mut String, value: i32) -> &str {
    buf.clear();
    buf.push_str(itoa::Buffer::new().format(value));
    buf
}

/// The CSV header of a leads file: the built-in lead fields, then the given custom field names.
pub fn lead_header(custom: &[String]) -> Vec<String> {
    leadrank_core::records::LEAD_FIELDS.iter().map(|(n, _)| n.to_string()).chain(custom.iter().cloned()).collect()
}

/// Writes leads as CSV with the built-in columns plus `custom` columns; reading the file back
/// gives the same leads (times in RFC 3339, lists joined with ";").
pub fn write_leads_csv(out: &mut dyn Write, leads: &[leadrank_core::Lead], custom: &[String]) -> io::Result<()> {
    write_leads_csv_iter(out, leads, custom)
}

/// [`write_leads_csv`] from any sequence of leads (no copy needed).
pub fn write_leads_csv_iter<'a>(
    out: &mut dyn Write,
    leads: impl IntoIterator<Item = &'a leadrank_core::Lead>,
    custom: &[String],
) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(lead_header(custom))?;
    for l in leads {
        let mut row = builtin_values(l);
        row.extend(custom.iter().map(|c| l.custom_field(c).unwrap_or_default().to_string()));
        w.write_record(&row)?;
    }
    w.flush()
}

/// Writes leads as CSV with only the given columns, in that order: built-in lead fields by
/// name, any other name a custom column.
pub fn write_leads_csv_columns(
    out: &mut dyn Write,
    leads: impl IntoIterator<Item = impl std::borrow::Borrow<leadrank_core::Lead>>,
    columns: &[String],
) -> io::Result<()> {
    let names = &leadrank_core::records::LEAD_FIELDS;
    let mut w = csv::Writer::from_writer(out);
    w.write_record(columns)?;
    for l in leads {
        let l = l.borrow();
        let builtin = builtin_values(l);
        let row = columns.iter().map(|c| match names.iter().position(|(n, _)| *n == c.as_str()) {
            Some(i) => builtin[i].clone(),
            None => l.custom_field(c).unwrap_or_default().to_string(),
        });
        w.write_record(row)?;
    }
    w.flush()
}

/// Whether a lead has a value for the built-in field `name`.
pub fn lead_field_is_set(lead: &leadrank_core::Lead, name: &str) -> bool {
    leadrank_core::records::LEAD_FIELDS.iter().position(|(n, _)| *n == name).is_some_and(|i| !builtin_values(lead)[i].is_empty())
}

/// The built-in fields of a lead as text, in `LEAD_FIELDS` order.
fn builtin_values(l: &leadrank_core::Lead) -> Vec<String> {
    let opt = |v: &Option<Box<str>>| v.as_deref().unwrap_or_default().to_string();
    let num = |v: Option<i64>| v.map(|x| x.to_string()).unwrap_or_default();
    let flag = |v: Option<bool>| v.map(|x| x.to_string()).unwrap_or_default();
    let time = |v: Option<jiff::Timestamp>| v.map(|x| x.to_string()).unwrap_or_default();
    vec![
        l.lead_id.clone(),
        opt(&l.email),
        opt(&l.first_name),
        opt(&l.last_name),
        opt(&l.title),
        opt(&l.company),
        opt(&l.domain),
        opt(&l.account_id),
        opt(&l.industry),
        num(l.employees),
        l.annual_revenue.map(|x| x.to_string()).unwrap_or_default(),
        opt(&l.country),
        opt(&l.phone),
        flag(l.phone_verified),
        flag(l.consent),
        time(l.consent_at),
        opt(&l.source),
        opt(&l.campaign),
        time(l.created_at),
        l.tech_stack.join(";"),
        opt(&l.use_case),
        flag(l.budget_owner),
        num(l.timeline_days),
        time(l.contract_end),
        opt(&l.honeypot),
    ]
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use leadrank_core::engine::{Dimensions, Reason};
    use leadrank_core::model::builtin::default_model;

    use super::*;

    /// The CSV rows as they were written before the encoder reused its buffers: one
    /// `Vec<String>` per row through `csv::Writer::write_record`.
    fn rows_by_records(model: &CompiledModel, scores: &[Score]) -> Vec<u8> {
        let mut w = csv::WriterBuilder::new().has_headers(false).from_writer(Vec::new());
        for s in scores {
            let mut row = vec![s.lead_id.clone(), s.total.to_string(), s.quality.to_string(), s.grade.to_string(), s.cell.clone()];
            row.extend(model.dimensions.iter().map(|d| s.dimensions.get(&d.id).to_string()));
            row.push(
                s.reasons
                    .iter()
                    .map(|r| {
                        if &*r.rule == "cap" { format!("cap:{} {:+}", r.dimension, r.points) } else { format!("{} {:+}", r.rule, r.points) }
                    })
                    .collect::<Vec<_>>()
                    .join("; "),
            );
            w.write_record(&row).expect("writing to memory");
        }
        w.into_inner().expect("writing to memory")
    }

    #[test]
    fn csv_rows_are_byte_for_byte_those_of_one_record_per_row() {
        let model = default_model();
        let reason = |rule: &str, dimension: &str, points: i32| Reason {
            rule: Arc::from(rule),
            dimension: Arc::from(dimension),
            points,
            detail: String::new(),
        };
        let dims = |points: &[i32]| Dimensions(model.dimensions.iter().zip(points).map(|(d, p)| (d.id.clone(), *p)).collect());
        let scores = vec![
            Score {
                lead_id: "plain".into(),
                total: 85,
                quality: true,
                grade: Arc::from("A"),
                cell: "A1".into(),
                dimensions: dims(&[50, 40, 0, 0, 5, -10]),
                reasons: vec![reason("demo_request", "intent", 25), reason("cap", "intent", -5), reason("personal_email", "penalty", -10)],
            },
            Score {
                lead_id: "needs \"quotes\", and a comma\nand a line".into(),
                total: -30,
                quality: false,
                grade: Arc::from("D"),
                cell: String::new(),
                dimensions: Dimensions(Vec::new()),
                reasons: Vec::new(),
            },
            Score {
                lead_id: String::new(),
                total: 0,
                quality: false,
                grade: Arc::from("D"),
                cell: "D4".into(),
                // Dimensions out of model order, and one missing.
                dimensions: Dimensions(vec![(Arc::from("penalty"), -20), (Arc::from("fit"), 10)]),
                reasons: vec![reason("competitor", "penalty", -20), reason("no_op", "fit", 0), reason("extreme", "fit", i32::MIN)],
            },
        ];
        let encoded = RowEncoder { model: &model, format: OutputFormat::Csv }.encode(&scores).expect("encoding");
        assert_eq!(String::from_utf8_lossy(&encoded.bytes), String::from_utf8_lossy(&rows_by_records(&model, &scores)));
        assert_eq!((encoded.leads, encoded.quality), (3, 1));
    }
}
