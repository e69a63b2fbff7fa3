//! The leadrank properties written back to a CRM, and the values wanted for one lead.

use std::collections::BTreeMap;

/// One leadrank value written back to the CRM, as a prefixed custom property (HubSpot) or
/// custom field (Salesforce).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CrmField {
    Score,
    Grade,
    Cell,
    Quality,
    Reasons,
    Stage,
    Rep,
}

/// What kind of CRM property a field is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// A number.
    Number,
    /// A single line of text.
    Text,
    /// Several lines of text (the top reasons).
    LongText,
    /// true / false.
    Bool,
}

impl CrmField {
    pub const ALL: [CrmField; 7] =
        [CrmField::Score, CrmField::Grade, CrmField::Cell, CrmField::Quality, CrmField::Reasons, CrmField::Stage, CrmField::Rep];

    /// The name after the prefix (`leadrank_` + `score`).
    pub fn suffix(self) -> &'static str {
        match self {
            CrmField::Score => "score",
            CrmField::Grade => "grade",
            CrmField::Cell => "cell",
            CrmField::Quality => "quality",
            CrmField::Reasons => "reasons",
            CrmField::Stage => "stage",
            CrmField::Rep => "rep",
        }
    }

    pub fn parse(s: &str) -> Option<CrmField> {
        CrmField::ALL.into_iter().find(|f| f.suffix() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            CrmField::Score => "leadrank score",
            CrmField::Grade => "leadrank grade",
            CrmField::Cell => "leadrank fit x intent",
            CrmField::Quality => "leadrank quality lead",
            CrmField::Reasons => "leadrank top reasons",
            CrmField::Stage => "leadrank stage",
            CrmField::Rep => "leadrank assigned rep",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            CrmField::Score => "The lead's total leadrank score (written by leadrank; do not edit).",
            CrmField::Grade => "The lead's leadrank grade band, e.g. A.",
            CrmField::Cell => "The fit x intent cell, e.g. A1 (fit letter, intent digit).",
            CrmField::Quality => "true when the score reaches the model's quality threshold.",
            CrmField::Reasons => "The rules that gave the most points, one per line, with their points.",
            CrmField::Stage => "The lead's stage in leadrank (inquiry, mql, sal, sql, opportunity, won, lost, ...).",
            CrmField::Rep => "The rep leadrank routed the lead to.",
        }
    }

    pub fn kind(self) -> FieldKind {
        match self {
            CrmField::Score => FieldKind::Number,
            CrmField::Quality => FieldKind::Bool,
            CrmField::Reasons => FieldKind::LongText,
            _ => FieldKind::Text,
        }
    }

    /// The property's name with `prefix` (`leadrank_score`).
    pub fn property(self, prefix: &str) -> String {
        format!("{prefix}{}", self.suffix())
    }
}

/// What leadrank knows about one lead now: the source of the written-back values.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Snapshot {
    pub total: i32,
    pub quality: bool,
    pub grade: String,
    pub cell: String,
    /// (rule, points) of the reasons, in the engine's order.
    pub reasons: Vec<(String, i32)>,
    pub stage: Option<String>,
    pub rep: Option<String>,
}

/// How the written values are shaped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shape {
    pub prefix: String,
    pub fields: Vec<CrmField>,
    /// How many reasons (by absolute points) go into the reasons field.
    pub top_reasons: usize,
    /// The CRM's limit on a text value, in characters.
    pub text_limit: usize,
}

/// The values wanted in the CRM for one lead: property name -> value.
pub fn desired(s: &Snapshot, shape: &Shape) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for &f in &shape.fields {
        let v = match f {
            CrmField::Score => s.total.to_string(),
            CrmField::Grade => s.grade.clone(),
            CrmField::Cell => s.cell.clone(),
            CrmField::Quality => s.quality.to_string(),
            CrmField::Reasons => reasons_text(&s.reasons, shape.top_reasons, shape.text_limit),
            CrmField::Stage => s.stage.clone().unwrap_or_default(),
            CrmField::Rep => s.rep.clone().unwrap_or_default(),
        };
        out.insert(f.property(&shape.prefix), truncate(&v, shape.text_limit));
    }
    out
}

/// Every field empty: what an erased person's record gets.
pub fn cleared(shape: &Shape) -> BTreeMap<String, String> {
    shape.fields.iter().map(|f| (f.property(&shape.prefix), String::new())).collect()
}

/// The `n` reasons with the most points (by absolute value; ties in engine order), one per
/// line as `+25 demo_request`, within `limit` characters: reasons that do not fit are left
/// out whole and counted in a last line (`... 2 more`).
pub fn reasons_text(reasons: &[(String, i32)], n: usize, limit: usize) -> String {
    let mut order: Vec<usize> = (0..reasons.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(reasons[i].1.unsigned_abs()));
    let picked: Vec<String> = order.into_iter().take(n).map(|i| format!("{:+} {}", reasons[i].1, reasons[i].0)).collect();
    let mut out = String::new();
    for (k, line) in picked.iter().enumerate() {
        let rest = picked.len() - k - 1;
        let tail = if rest > 0 { format!("\n... {rest} more").chars().count() } else { 0 };
        let sep = usize::from(!out.is_empty());
        if out.chars().count() + sep + line.chars().count() + tail > limit {
            let more = format!("... {} more", picked.len() - k);
            if out.chars().count() + sep + more.chars().count() <= limit {
                if sep == 1 {
                    out.push('\n');
                }
                out.push_str(&more);
            }
            return out;
        }
        if sep == 1 {
            out.push('\n');
        }
        out.push_str(line);
    }
    out
}

/// `text` cut to at most `limit` characters (never inside a character); a cut text ends with
/// an ellipsis.
pub fn truncate(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        return text.to_string();
    }
    if limit == 0 {
        return String::new();
    }
    let mut out: String = text.chars().take(limit - 1).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(limit: usize) -> Shape {
        Shape { prefix: "leadrank_".into(), fields: CrmField::ALL.to_vec(), top_reasons: 3, text_limit: limit }
    }

    #[test]
    fn desired_values_have_prefixed_names() {
        let s = Snapshot {
            total: 72,
            quality: true,
            grade: "A".into(),
            cell: "A1".into(),
            reasons: vec![("icp_industry".into(), 10), ("demo_request".into(), 30), ("free_mail".into(), -15), ("title".into(), 5)],
            stage: Some("mql".into()),
            rep: None,
        };
        let d = desired(&s, &shape(1000));
        assert_eq!(d["leadrank_score"], "72");
        assert_eq!(d["leadrank_quality"], "true");
        assert_eq!(d["leadrank_reasons"], "+30 demo_request\n-15 free_mail\n+10 icp_industry");
        assert_eq!(d["leadrank_rep"], "");
        assert_eq!(d.len(), 7);
    }

    #[test]
    fn reasons_fit_the_limit_whole() {
        let r = vec![("aaaaaaaaaa".to_string(), 30), ("bbbbbbbbbb".to_string(), 20), ("cccccccccc".to_string(), 10)];
        let t = reasons_text(&r, 3, 30);
        assert!(t.chars().count() <= 30, "{t}");
        assert_eq!(t, "+30 aaaaaaaaaa\n... 2 more");
        for limit in 0..60 {
            assert!(reasons_text(&r, 3, limit).chars().count() <= limit);
        }
    }

    #[test]
    fn truncate_never_splits_a_character() {
        assert_eq!(truncate("héllo wörld", 5), "héll…");
        assert_eq!(truncate("abc", 3), "abc");
        assert_eq!(truncate("abcd", 0), "");
    }
}
