//! Which fields of one CRM record to write: the wanted values diffed against what leadrank
//! last wrote and what the CRM holds now, under per-field rules.
//!
//! What the CRM holds is known from the incremental read: a record the CRM changed since the
//! last run was read (and its current values are passed in); a record that was not read still
//! holds what leadrank last wrote (any change to it would have moved its modification time
//! past the cursor). So no record is read again before it is written.

use std::collections::BTreeMap;

/// The rules of one field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldRule {
    /// Never overwrite a value someone else set: a non-empty CRM value that differs from
    /// what leadrank last wrote stays (default on).
    pub keep_human: bool,
    /// Write only while the CRM field is empty.
    pub only_if_empty: bool,
}

impl Default for FieldRule {
    fn default() -> Self {
        FieldRule { keep_human: true, only_if_empty: false }
    }
}

/// The rules of a write-back.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rules {
    /// Per property name; a property without an entry gets [`FieldRule::default`].
    pub fields: BTreeMap<String, FieldRule>,
    /// A property that only moves forward through this order of values (HubSpot's
    /// `lifecyclestage`): a value earlier than the CRM's is never written, nor one the order
    /// does not know.
    pub monotonic: Option<(String, Vec<String>)>,
}

impl Rules {
    fn rule(&self, property: &str) -> FieldRule {
        self.fields.get(property).copied().unwrap_or_default()
    }
}

/// What happens to one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Written with this value.
    Write(String),
    /// The CRM already holds the wanted value.
    Unchanged,
    /// Someone else set the CRM's value (it differs from what leadrank last wrote).
    KeptHuman,
    /// `only_if_empty` and the CRM field has a value.
    NotEmpty,
    /// The value would move a forward-only property backwards (or is not in its order).
    Backwards,
}

impl Decision {
    /// A short name for reports.
    pub fn as_str(&self) -> &'static str {
        match self {
            Decision::Write(_) => "write",
            Decision::Unchanged => "unchanged",
            Decision::KeptHuman => "kept: set by someone else",
            Decision::NotEmpty => "kept: only if empty",
            Decision::Backwards => "kept: would move backwards",
        }
    }
}

/// The plan for one record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordPlan {
    /// Property -> decision, for every wanted property.
    pub decisions: BTreeMap<String, Decision>,
}

impl RecordPlan {
    /// The properties to write, with their values.
    pub fn writes(&self) -> BTreeMap<String, String> {
        self.decisions
            .iter()
            .filter_map(|(k, d)| match d {
                Decision::Write(v) => Some((k.clone(), v.clone())),
                _ => None,
            })
            .collect()
    }

    pub fn is_empty(&self) -> bool {
        !self.decisions.values().any(|d| matches!(d, Decision::Write(_)))
    }

    /// What leadrank's record of "last written" becomes once the writes succeed: the
    /// previous record, with every written value and every value found already in place.
    pub fn written_after(&self, last_written: &BTreeMap<String, String>, wanted: &BTreeMap<String, String>) -> BTreeMap<String, String> {
        let mut out = last_written.clone();
        for (k, d) in &self.decisions {
            match d {
                Decision::Write(v) => {
                    out.insert(k.clone(), v.clone());
                }
                Decision::Unchanged => {
                    if let Some(v) = wanted.get(k) {
                        out.insert(k.clone(), v.clone());
                    }
                }
                _ => {}
            }
        }
        out
    }
}

/// Plans one record. `wanted`: the values leadrank wants now; `last_written`: what leadrank
/// last wrote to this record (empty for none); `current`: the record's values as just read
/// from the CRM, or `None` when it was not read (it then holds `last_written`). `clearing`
/// (erasure) writes every wanted value regardless of who set the field.
pub fn plan_record(
    wanted: &BTreeMap<String, String>,
    last_written: &BTreeMap<String, String>,
    current: Option<&BTreeMap<String, String>>,
    rules: &Rules,
    clearing: bool,
) -> RecordPlan {
    let mut plan = RecordPlan::default();
    for (prop, want) in wanted {
        let written = last_written.get(prop).map(String::as_str);
        let crm: &str = match current {
            Some(c) => c.get(prop).map_or("", String::as_str),
            None => written.unwrap_or(""),
        };
        let decision = if crm == want {
            Decision::Unchanged
        } else if clearing {
            Decision::Write(want.clone())
        } else if let Some((_, order)) = rules.monotonic.as_ref().filter(|(p, _)| p == prop) {
            let rank = |v: &str| order.iter().position(|o| o.eq_ignore_ascii_case(v));
            match (rank(want), rank(crm)) {
                (Some(w), Some(c)) if w > c => Decision::Write(want.clone()),
                (Some(_), None) if crm.is_empty() => Decision::Write(want.clone()),
                _ => Decision::Backwards,
            }
        } else {
            let rule = rules.rule(prop);
            if rule.only_if_empty && !crm.is_empty() {
                Decision::NotEmpty
            } else if rule.keep_human && !crm.is_empty() && Some(crm) != written {
                Decision::KeptHuman
            } else {
                Decision::Write(want.clone())
            }
        };
        plan.decisions.insert(prop.clone(), decision);
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn only_changed_values_are_written() {
        let want = m(&[("s", "70"), ("g", "A")]);
        let written = m(&[("s", "60"), ("g", "A")]);
        let p = plan_record(&want, &written, None, &Rules::default(), false);
        assert_eq!(p.writes(), m(&[("s", "70")]));
        assert_eq!(p.decisions["g"], Decision::Unchanged);
        assert_eq!(p.written_after(&written, &want), want);
    }

    #[test]
    fn a_value_someone_else_set_is_kept() {
        let want = m(&[("s", "70")]);
        let written = m(&[("s", "60")]);
        let current = m(&[("s", "99")]);
        let p = plan_record(&want, &written, Some(&current), &Rules::default(), false);
        assert_eq!(p.decisions["s"], Decision::KeptHuman);
        assert!(p.is_empty());
        // Without the rule it is overwritten.
        let mut rules = Rules::default();
        rules.fields.insert("s".into(), FieldRule { keep_human: false, only_if_empty: false });
        assert_eq!(plan_record(&want, &written, Some(&current), &rules, false).writes(), want);
        // A person emptying the field lets leadrank write again.
        let current = m(&[("s", "")]);
        assert_eq!(plan_record(&want, &written, Some(&current), &Rules::default(), false).writes(), want);
        // Before leadrank ever wrote, a value already there is someone else's.
        let current = m(&[("s", "5")]);
        assert_eq!(plan_record(&want, &m(&[]), Some(&current), &Rules::default(), false).decisions["s"], Decision::KeptHuman);
    }

    #[test]
    fn a_write_found_in_place_after_a_crash_is_not_repeated() {
        // Written to the CRM, then killed before recording it: the CRM holds the wanted value.
        let want = m(&[("s", "70")]);
        let p = plan_record(&want, &m(&[("s", "60")]), Some(&m(&[("s", "70")])), &Rules::default(), false);
        assert_eq!(p.decisions["s"], Decision::Unchanged);
        assert_eq!(p.written_after(&m(&[("s", "60")]), &want), want);
    }

    #[test]
    fn only_if_empty() {
        let mut rules = Rules::default();
        rules.fields.insert("rep".into(), FieldRule { keep_human: true, only_if_empty: true });
        let want = m(&[("rep", "r7")]);
        assert_eq!(plan_record(&want, &m(&[("rep", "r1")]), None, &rules, false).decisions["rep"], Decision::NotEmpty);
        assert_eq!(plan_record(&want, &m(&[]), Some(&m(&[])), &rules, false).writes(), want);
    }

    #[test]
    fn lifecycle_never_moves_backwards() {
        let order: Vec<String> = ["subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity", "customer"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let rules = Rules { monotonic: Some(("lifecyclestage".into(), order)), ..Rules::default() };
        let want = m(&[("lifecyclestage", "marketingqualifiedlead")]);
        let at =
            |v: &str| plan_record(&want, &m(&[]), Some(&m(&[("lifecyclestage", v)])), &rules, false).decisions["lifecyclestage"].clone();
        assert_eq!(at("lead"), Decision::Write("marketingqualifiedlead".into()));
        assert_eq!(at(""), Decision::Write("marketingqualifiedlead".into()));
        assert_eq!(at("customer"), Decision::Backwards);
        assert_eq!(at("marketingqualifiedlead"), Decision::Unchanged);
        assert_eq!(at("someothercustomstage"), Decision::Backwards);
    }

    #[test]
    fn clearing_ignores_who_set_the_value() {
        let want = m(&[("s", ""), ("g", "")]);
        let current = m(&[("s", "99"), ("g", "")]);
        let p = plan_record(&want, &m(&[("s", "60")]), Some(&current), &Rules::default(), true);
        assert_eq!(p.writes(), m(&[("s", "")]));
    }
}
