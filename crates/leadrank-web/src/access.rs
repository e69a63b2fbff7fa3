//! Who may see and act on which lead.
//!
//! * a rep sees the leads of their team and acts on those assigned to them, as their rep id;
//! * a manager sees and acts on the leads of the teams they manage (re-assigning included),
//!   as their username;
//! * RevOps and admins see every lead and act on none (lifecycle actions belong to sales).
//!
//! A lead with no team (unassigned, or routed to a queue) is seen by RevOps and admins only.

use leadrank_service::ops::{CurrentAssignment, Ops};
use leadrank_service::users::{Role, User};

/// The leads a user reaches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reach {
    /// A rep: their rep id and team.
    Rep { rep: String, team: Option<String> },
    /// A manager's teams.
    Teams(Vec<String>),
    /// Every lead, read-only.
    All,
}

impl Reach {
    pub fn of(user: &User, ops: &Ops) -> Reach {
        match user.role {
            Role::Rep => {
                let rep = user.rep.clone().unwrap_or_default();
                let team = ops.reps.get(&rep).map(|r| r.team.clone());
                Reach::Rep { rep, team }
            }
            Role::Manager => Reach::Teams(user.teams.clone()),
            Role::Revops | Role::Admin => Reach::All,
        }
    }

    /// Whether the user may open a lead with this assignment.
    pub fn may_view(&self, assignment: Option<&CurrentAssignment>) -> bool {
        let team = assignment.and_then(|a| a.team.as_deref());
        match self {
            Reach::All => true,
            Reach::Rep { rep, team: mine } => {
                assignment.and_then(|a| a.rep.as_deref()) == Some(rep.as_str()) || (team.is_some() && team == mine.as_deref())
            }
            Reach::Teams(teams) => team.is_some_and(|t| teams.iter().any(|x| x == t)),
        }
    }

    /// Whether the user may accept, reject or fill the checklist of such a lead.
    pub fn may_act(&self, assignment: Option<&CurrentAssignment>) -> bool {
        match self {
            Reach::All => false,
            Reach::Rep { rep, .. } => assignment.filter(|a| !a.released).and_then(|a| a.rep.as_deref()) == Some(rep.as_str()),
            Reach::Teams(_) => self.may_view(assignment),
        }
    }
}

/// The name recorded as the actor of a user's lifecycle actions: a rep acts as their rep
/// id (as the API's `by`), anyone else as their username.
pub fn actor(user: &User) -> String {
    match (&user.role, &user.rep) {
        (Role::Rep, Some(rep)) => rep.clone(),
        _ => user.username.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assigned(team: &str, rep: &str) -> CurrentAssignment {
        CurrentAssignment {
            rule: "r".into(),
            team: Some(team.into()),
            rep: Some(rep.into()),
            queue: None,
            at: "2026-01-05T09:00:00Z".parse().unwrap(),
            detail: String::new(),
            quality: true,
            released: false,
        }
    }

    #[test]
    fn reps_see_their_team_and_act_on_their_own() {
        let me = Reach::Rep { rep: "rep-01".into(), team: Some("emea".into()) };
        let mine = assigned("emea", "rep-01");
        let colleague = assigned("emea", "rep-02");
        let other_team = assigned("amer", "rep-03");
        assert!(me.may_view(Some(&mine)) && me.may_act(Some(&mine)));
        assert!(me.may_view(Some(&colleague)) && !me.may_act(Some(&colleague)));
        assert!(!me.may_view(Some(&other_team)) && !me.may_act(Some(&other_team)));
        assert!(!me.may_view(None));
        let released = CurrentAssignment { released: true, ..mine };
        assert!(!me.may_act(Some(&released)), "a lead that left the sales stages is not worked");
    }

    #[test]
    fn managers_reach_their_teams_and_revops_reads_everything() {
        let m = Reach::Teams(vec!["emea".into(), "abm".into()]);
        assert!(m.may_view(Some(&assigned("abm", "x"))) && m.may_act(Some(&assigned("abm", "x"))));
        assert!(!m.may_view(Some(&assigned("amer", "x"))));
        assert!(Reach::All.may_view(None) && !Reach::All.may_act(Some(&assigned("abm", "x"))));
    }
}
