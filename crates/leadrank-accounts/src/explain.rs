//! The account ledger a sales rep reads, and ranking.

use std::fmt::Write as _;

use crate::score::AccountScore;

/// Renders an account score as a plain-text ledger: the header (name, ABM flag, tier, owner,
/// people), one line per reason (points, rule, detail), the total, the buying-committee
/// table (each role with its engaged and known-but-not-engaged people; `*` marks required
/// roles) and what is missing.
pub fn explain_account(score: &AccountScore) -> String {
    let mut out = String::new();
    let name = score.name.as_deref().map(str::trim).filter(|n| !n.is_empty());
    let _ = write!(out, "Account {}", score.account_id);
    if let Some(n) = name {
        let _ = write!(out, "  {n}");
    }
    if score.abm {
        out.push_str("  [ABM target account]");
    }
    out.push('\n');
    let tier = score.tier.as_deref().unwrap_or("-");
    let owner = score.owner.as_deref().unwrap_or("unassigned");
    let _ = writeln!(out, "tier {tier}, owner {owner}, as of {}", score.as_of);
    let _ = writeln!(
        out,
        "{} {}: {} engaged in the last {} days, {} quality {}",
        score.people,
        if score.people == 1 { "person" } else { "people" },
        score.engaged_people,
        score.engaged_within_days,
        score.quality_people,
        if score.quality_people == 1 { "lead" } else { "leads" },
    );
    out.push('\n');

    let rule_width = score.reasons.iter().map(|r| r.rule.len()).max().unwrap_or(0).max(4);
    let _ = writeln!(out, "{:>6}  {:<rule_width$}  Detail", "Points", "Rule");
    for r in &score.reasons {
        let _ = writeln!(out, "{:>6}  {:<rule_width$}  {}", signed(r.points), r.rule, r.detail);
    }
    let _ = writeln!(out, "{}", "-".repeat(60));
    let _ = writeln!(
        out,
        "Total {}   fit {} + engagement {} + recency {} + coverage {}",
        score.total, score.fit, score.engagement, score.recency, score.coverage_points
    );
    out.push('\n');

    out.push_str("Buying committee (* required)\n");
    let cells: Vec<(String, String, String)> = score
        .coverage
        .iter()
        .map(|c| {
            let role = format!("{}{}", c.role.label(), if c.required { " *" } else { "" });
            (role, list(&c.engaged), list(&c.known))
        })
        .collect();
    let w_role = cells.iter().map(|c| c.0.chars().count()).max().unwrap_or(0).max(4);
    let w_engaged = cells.iter().map(|c| c.1.chars().count()).max().unwrap_or(0).max(7);
    let _ = writeln!(out, "  {:<w_role$}  {:<w_engaged$}  Known, not engaged", "Role", "Engaged");
    for (role, engaged, known) in &cells {
        let _ = writeln!(out, "  {role:<w_role$}  {engaged:<w_engaged$}  {known}");
    }
    out.push('\n');

    out.push_str("Missing\n");
    if score.missing.is_empty() {
        out.push_str("  nothing: every required role is engaged\n");
    }
    for m in &score.missing {
        let _ = writeln!(out, "  - {m}");
    }
    out
}

/// Sorts account scores for a work queue: highest total first, ties by account id.
pub fn rank_accounts(mut scores: Vec<AccountScore>) -> Vec<AccountScore> {
    scores.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.account_id.cmp(&b.account_id)));
    scores
}

fn signed(points: i32) -> String {
    if points > 0 { format!("+{points}") } else { points.to_string() }
}

fn list(ids: &[String]) -> String {
    if ids.is_empty() { "-".into() } else { ids.join(", ") }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::{AccountInfo, AccountPolicy, Person, score_account};

    fn scored(id: &str, intent: i32) -> AccountScore {
        let info = AccountInfo { account_id: id.into(), ..Default::default() };
        let p = Person {
            lead_id: format!("{id}-L1"),
            title: Some("CFO".into()),
            intent,
            last_engaged: Some("2026-06-29T00:00:00Z".parse().unwrap()),
            ..Default::default()
        };
        score_account(&info, &[p], "2026-06-30T00:00:00Z".parse().unwrap(), &AccountPolicy::default())
    }

    #[test]
    fn ranks_by_total_then_id() {
        let ranked = rank_accounts(vec![scored("B", 10), scored("C", 30), scored("A", 10)]);
        let ids: Vec<_> = ranked.iter().map(|s| s.account_id.as_str()).collect();
        assert_eq!(ids, ["C", "A", "B"]);
    }

    #[test]
    fn ledger_mentions_everything() {
        let s = scored("A", 10);
        let text = explain_account(&s);
        assert!(text.starts_with("Account A\n"), "{text}");
        assert!(text.contains("tier -, owner unassigned"));
        assert!(text.contains("1 person: 1 engaged in the last 90 days, 0 quality leads"));
        for r in &s.reasons {
            assert!(text.contains(&r.detail), "{text}");
        }
        assert!(text.contains(&format!("Total {}", s.total)));
        assert!(text.contains("finance *"));
        assert!(text.contains("  - no one from security known"));
    }
}
