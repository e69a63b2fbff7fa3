//! Teams and reps as the API manages them: their serde types, defaults and validation.
//!
//! The server stores teams and reps; this module only says what a valid one looks like.
//! Every input type rejects unknown fields so a typo in an API call is an error, not a
//! silently ignored setting.

use jiff::Timestamp;
use jiff::civil::{Date, Time};
use serde::{Deserialize, Serialize};

/// A problem with one field of a team, a rep or a calendar.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct ValidationError {
    /// The field at fault, dotted for nested fields, e.g. `calendar.start` or `reps[3].team`.
    pub field: String,
    /// What is wrong with it, in words.
    pub message: String,
}

impl ValidationError {
    /// A new error for `field`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        ValidationError { field: field.into(), message: message.into() }
    }

    fn prefixed(self, prefix: &str) -> Self {
        ValidationError { field: format!("{prefix}{}", self.field), message: self.message }
    }
}

/// A day of the week, written `"mon"` .. `"sun"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Weekday {
    /// Monday.
    Mon,
    /// Tuesday.
    Tue,
    /// Wednesday.
    Wed,
    /// Thursday.
    Thu,
    /// Friday.
    Fri,
    /// Saturday.
    Sat,
    /// Sunday.
    Sun,
}

impl Weekday {
    /// The jiff weekday.
    pub fn to_jiff(self) -> jiff::civil::Weekday {
        use jiff::civil::Weekday as W;
        match self {
            Weekday::Mon => W::Monday,
            Weekday::Tue => W::Tuesday,
            Weekday::Wed => W::Wednesday,
            Weekday::Thu => W::Thursday,
            Weekday::Fri => W::Friday,
            Weekday::Sat => W::Saturday,
            Weekday::Sun => W::Sunday,
        }
    }

    /// Monday to Friday.
    pub fn workweek() -> Vec<Weekday> {
        vec![Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri]
    }
}

/// Business hours of a team: the open days, one opening interval per open day, and holidays.
///
/// `start` and `end` are local wall-clock times (`"HH:MM"`, 24-hour) in the team's time
/// zone; `start` must be before `end` (no overnight shifts). Holidays are local dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Calendar {
    /// Open days. Default: Monday to Friday.
    pub days: Vec<Weekday>,
    /// Opening time, `"HH:MM"`. Default `"09:00"`.
    pub start: String,
    /// Closing time, `"HH:MM"`. Default `"17:00"`.
    pub end: String,
    /// Local dates on which the team is closed even if the weekday is open.
    pub holidays: Vec<Date>,
}

impl Default for Calendar {
    fn default() -> Self {
        Calendar { days: Weekday::workweek(), start: "09:00".to_string(), end: "17:00".to_string(), holidays: Vec::new() }
    }
}

/// Parses a strict `"HH:MM"` (or `"HH:MM:SS"`) 24-hour local time.
pub(crate) fn parse_hhmm(s: &str) -> Option<Time> {
    let parts: Vec<&str> = s.trim().split(':').collect();
    if !(2..=3).contains(&parts.len()) || parts.iter().any(|p| p.len() != 2) {
        return None;
    }
    let num = |p: &str| -> Option<i8> { if p.bytes().all(|b| b.is_ascii_digit()) { p.parse().ok() } else { None } };
    let h = num(parts.first()?)?;
    let m = num(parts.get(1)?)?;
    let sec = match parts.get(2) {
        Some(p) => num(p)?,
        None => 0,
    };
    Time::new(h, m, sec, 0).ok()
}

impl Calendar {
    /// Checks the days, the opening hours and their order. Field names are relative to the
    /// calendar (`start`, `days`, ...).
    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.days.is_empty() {
            return Err(ValidationError::new("days", "no open days: the team would never be open"));
        }
        let start = parse_hhmm(&self.start)
            .ok_or_else(|| ValidationError::new("start", format!("{:?} is not a time like \"09:00\"", self.start)))?;
        let end =
            parse_hhmm(&self.end).ok_or_else(|| ValidationError::new("end", format!("{:?} is not a time like \"17:00\"", self.end)))?;
        if start >= end {
            return Err(ValidationError::new(
                "start",
                format!("opening {} must be before closing {} (overnight hours are not supported)", self.start, self.end),
            ));
        }
        Ok(())
    }
}

fn default_timezone() -> String {
    "UTC".to_string()
}

/// A sales team: reps belong to one team; routing rules send leads to teams.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Team {
    /// Stable id, referenced by rules (`to = { team = "abm" }`) and reps, e.g.
    /// `"emea-enterprise"`. No white space.
    pub id: String,
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// IANA time zone of the team's business hours, e.g. `"Europe/Berlin"`. Default `"UTC"`.
    #[serde(default = "default_timezone")]
    pub timezone: String,
    /// Business hours. Default Monday to Friday, 09:00 to 17:00.
    #[serde(default)]
    pub calendar: Calendar,
    /// The qualification checklist this team works with ("bant", "champ" or "meddicc"):
    /// for leads assigned to the team it replaces the model's checklist as the SQL gate.
    /// Default: the model's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checklist: Option<String>,
}

impl Team {
    /// A team with the default calendar in UTC.
    pub fn new(id: impl Into<String>) -> Self {
        let id = id.into();
        Team { name: id.clone(), id, timezone: default_timezone(), calendar: Calendar::default(), checklist: None }
    }

    /// Checks the id, the time zone (must be known to the bundled tz database) and the
    /// calendar (fields reported as `calendar.start` etc.).
    pub fn validate(&self) -> Result<(), ValidationError> {
        check_id("id", &self.id)?;
        if jiff::tz::TimeZone::get(&self.timezone).is_err() {
            return Err(ValidationError::new(
                "timezone",
                format!("{:?} is not a known IANA time zone (e.g. \"Europe/Berlin\")", self.timezone),
            ));
        }
        if let Some(c) = &self.checklist
            && !leadrank_core::model::CHECKLISTS.contains(&c.as_str())
        {
            return Err(ValidationError::new(
                "checklist",
                format!("{c:?} is not a checklist; valid: {}", leadrank_core::model::CHECKLISTS.join(", ")),
            ));
        }
        self.calendar.validate().map_err(|e| e.prefixed("calendar."))
    }
}

fn check_id(field: &str, id: &str) -> Result<(), ValidationError> {
    if id.trim().is_empty() {
        return Err(ValidationError::new(field, "must not be empty"));
    }
    if id.chars().any(char::is_whitespace) {
        return Err(ValidationError::new(field, format!("{id:?} must not contain white space")));
    }
    Ok(())
}

/// A sales rep.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rep {
    /// Stable id (account owners in the CRM refer to it).
    pub id: String,
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// The id of the rep's team.
    pub team: String,
    /// The most open leads the rep may hold; at capacity the rep is skipped. At least 1.
    pub capacity: u32,
    /// Round-robin weight; defaults to `capacity`. At least 1 (use `away` to pause a rep).
    #[serde(default)]
    pub weight: Option<u32>,
    /// The rep is away (holiday, sick, paused). With `away_until` set, only until then.
    #[serde(default)]
    pub away: bool,
    /// End of an absence. A rep is away at `now` when (`away` is set or `away_until` is set)
    /// and `now < away_until` (or `away_until` is absent). So a set `away_until` in the
    /// future marks an absence even if `away` is false, and an `away` flag whose
    /// `away_until` has passed expires on its own.
    #[serde(default)]
    pub away_until: Option<Timestamp>,
    /// E-mail for notifications.
    #[serde(default)]
    pub email: Option<String>,
}

impl Rep {
    /// A rep with the given capacity, weight = capacity, present.
    pub fn new(id: impl Into<String>, team: impl Into<String>, capacity: u32) -> Self {
        let id = id.into();
        Rep { name: id.clone(), id, team: team.into(), capacity, weight: None, away: false, away_until: None, email: None }
    }

    /// The round-robin weight: `weight`, or `capacity` when absent.
    pub fn effective_weight(&self) -> u32 {
        self.weight.unwrap_or(self.capacity)
    }

    /// Whether the rep is away at `now` (see [`Rep::away_until`]).
    pub fn is_away(&self, now: Timestamp) -> bool {
        (self.away || self.away_until.is_some()) && self.away_until.is_none_or(|until| now < until)
    }

    /// Checks id, team, capacity, weight and e-mail.
    pub fn validate(&self) -> Result<(), ValidationError> {
        check_id("id", &self.id)?;
        check_id("team", &self.team)?;
        if self.capacity == 0 {
            return Err(ValidationError::new("capacity", "must be at least 1 (use away to pause a rep)"));
        }
        if self.weight == Some(0) {
            return Err(ValidationError::new("weight", "must be at least 1 (use away to pause a rep)"));
        }
        if let Some(email) = &self.email {
            let ok = email
                .split_once('@')
                .is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.') && !email.contains(char::is_whitespace));
            if !ok {
                return Err(ValidationError::new("email", format!("{email:?} is not an e-mail address")));
            }
        }
        Ok(())
    }
}

/// Validates a whole roster: each team and rep, unique ids, and that every rep's team
/// exists. Returns every problem found (empty when all is well); fields are named like
/// `teams[0].timezone` or `reps[2].team`.
pub fn validate_roster(teams: &[Team], reps: &[Rep]) -> Vec<ValidationError> {
    let mut out = Vec::new();
    let mut team_ids = std::collections::BTreeSet::new();
    for (i, t) in teams.iter().enumerate() {
        if let Err(e) = t.validate() {
            out.push(e.prefixed(&format!("teams[{i}].")));
        }
        if !team_ids.insert(t.id.as_str()) {
            out.push(ValidationError::new(format!("teams[{i}].id"), format!("duplicate team id {:?}", t.id)));
        }
    }
    let mut rep_ids = std::collections::BTreeSet::new();
    for (i, r) in reps.iter().enumerate() {
        if let Err(e) = r.validate() {
            out.push(e.prefixed(&format!("reps[{i}].")));
        }
        if !rep_ids.insert(r.id.as_str()) {
            out.push(ValidationError::new(format!("reps[{i}].id"), format!("duplicate rep id {:?}", r.id)));
        }
        if !team_ids.contains(r.team.as_str()) {
            out.push(ValidationError::new(format!("reps[{i}].team"), format!("no team {:?}", r.team)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_serde() {
        let t: Team = serde_json::from_str(r#"{"id":"emea-smb"}"#).unwrap();
        assert_eq!(t.timezone, "UTC");
        assert_eq!(t.calendar, Calendar::default());
        assert!(t.validate().is_ok());
        let bad = serde_json::from_str::<Team>(r#"{"id":"x","colour":"red"}"#);
        assert!(bad.is_err());
        let r: Rep = serde_json::from_str(r#"{"id":"r1","team":"t","capacity":10,"away_until":"2026-03-02T09:00:00Z"}"#).unwrap();
        assert_eq!(r.effective_weight(), 10);
        let cal: Calendar = serde_json::from_str(r#"{"days":["mon","sat"],"holidays":["2026-12-25"]}"#).unwrap();
        assert_eq!(cal.days, vec![Weekday::Mon, Weekday::Sat]);
        assert_eq!(cal.start, "09:00");
    }

    #[test]
    fn team_validation_names_the_field() {
        let mut t = Team::new("t");
        t.timezone = "Mars/Olympus".into();
        assert_eq!(t.validate().unwrap_err().field, "timezone");
        let mut t = Team::new("t");
        t.calendar.start = "17:00".into();
        assert_eq!(t.validate().unwrap_err().field, "calendar.start");
        let mut t = Team::new("t");
        t.calendar.end = "25:00".into();
        assert_eq!(t.validate().unwrap_err().field, "calendar.end");
        let mut t = Team::new("t");
        t.calendar.days.clear();
        assert_eq!(t.validate().unwrap_err().field, "calendar.days");
        assert_eq!(Team::new(" ").validate().unwrap_err().field, "id");
    }

    #[test]
    fn rep_validation_names_the_field() {
        assert_eq!(Rep::new("r", "t", 0).validate().unwrap_err().field, "capacity");
        let mut r = Rep::new("r", "t", 3);
        r.weight = Some(0);
        assert_eq!(r.validate().unwrap_err().field, "weight");
        let mut r = Rep::new("r", "t", 3);
        r.email = Some("nope".into());
        assert_eq!(r.validate().unwrap_err().field, "email");
        assert_eq!(Rep::new("r", "", 3).validate().unwrap_err().field, "team");
    }

    #[test]
    fn away_rules() {
        let now: Timestamp = "2026-03-02T12:00:00Z".parse().unwrap();
        let later: Timestamp = "2026-03-03T12:00:00Z".parse().unwrap();
        let earlier: Timestamp = "2026-03-01T12:00:00Z".parse().unwrap();
        let mut r = Rep::new("r", "t", 3);
        assert!(!r.is_away(now));
        r.away = true;
        assert!(r.is_away(now));
        r.away_until = Some(later);
        assert!(r.is_away(now));
        r.away_until = Some(earlier);
        assert!(!r.is_away(now), "an expired absence ends on its own");
        r.away = false;
        r.away_until = Some(later);
        assert!(r.is_away(now), "away_until in the future marks an absence");
    }

    #[test]
    fn roster() {
        let teams = vec![Team::new("a"), Team::new("a")];
        let reps = vec![Rep::new("r1", "a", 1), Rep::new("r1", "b", 1)];
        let errs = validate_roster(&teams, &reps);
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["teams[1].id", "reps[1].id", "reps[1].team"]);
    }
}
