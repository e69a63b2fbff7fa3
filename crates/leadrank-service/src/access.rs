//! Who may see and act on which lead, for every front end: the web app's signed-in users
//! and API keys bound to a user (`leadrank keys create --user`).
//!
//! * a rep sees the leads of their team and acts on those assigned to them, as their rep id;
//! * a manager sees and acts on the leads of the teams they manage (re-assigning included),
//!   as their username;
//! * RevOps and admins see every lead and act on none (lifecycle actions belong to sales).
//!
//! A lead with no team (unassigned, or routed to a queue) is seen by RevOps and admins only.

use crate::ops::{CurrentAssignment, Ops};
use crate::users::{Role, User};
use crate::{Service, ServiceError};

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

/// Directory kind of the binding of an API key (id) to a user (body: the username).
const KEY_USER: &str = "keyuser";

/// Binds an API key to an existing user (for the CLI, which has no running service).
pub async fn bind_key(store: &dyn leadrank_store::Store, key_id: &str, username: &str, now: jiff::Timestamp) -> Result<(), ServiceError> {
    if store.key(key_id).await?.is_none() {
        return Err(ServiceError::NotFound(format!("key {key_id}")));
    }
    if crate::users::user(store, username).await?.is_none() {
        return Err(ServiceError::NotFound(format!("user '{username}' (see `leadrank users list`)")));
    }
    let entry = leadrank_store::DirectoryEntry { kind: KEY_USER.into(), id: key_id.into(), body: username.into(), updated_at: now };
    Ok(store.put_directory(&entry).await?)
}

impl Service {
    /// Binds an API key to a user: the key then acts as that user in lifecycle actions.
    pub async fn bind_key(&self, key_id: &str, username: &str, actor: &str) -> Result<(), ServiceError> {
        bind_key(self.store.as_ref(), key_id, username, self.now()).await?;
        self.audit(actor, "key.bind", &format!("{key_id} -> user {username}")).await
    }

    /// The user an API key is bound to, if any.
    pub async fn key_user(&self, key_id: &str) -> Result<Option<User>, ServiceError> {
        let Some(entry) = self.store.directory_entry(KEY_USER, key_id).await? else { return Ok(None) };
        match crate::users::user(self.store.as_ref(), &entry.body).await? {
            Some(u) => Ok(Some(u)),
            // The user was removed: the key may act for nobody.
            None => Err(ServiceError::Forbidden(format!("this API key is bound to user '{}', who no longer exists", entry.body))),
        }
    }

    /// Who a lifecycle action asked through the API key `key_id` is recorded as, or why it is
    /// refused. A key bound to a user acts as that user, on the leads the user may act on;
    /// its `by`, when given, must be the user's own rep id (a rep), the username or a rep
    /// of their teams (a manager). A key bound to no user is an integration (a CRM relaying
    /// who did it): its `by` must name a rep of the directory; without `by` the key itself
    /// (`key_actor`) is recorded.
    pub async fn api_actor(&self, key_id: &str, key_actor: &str, by: Option<&str>, lead_id: &str) -> Result<String, ServiceError> {
        let by = by.map(str::trim);
        match self.key_user(key_id).await? {
            Some(user) => {
                if user.disabled {
                    return Err(ServiceError::Forbidden(format!("this API key's user '{}' is disabled", user.username)));
                }
                let (reach, assignment, by_team) = self.read_state(|_, ops| {
                    (
                        Reach::of(&user, ops),
                        ops.leads.get(lead_id).and_then(|s| s.assignment.clone()),
                        by.and_then(|b| ops.reps.get(b)).map(|r| r.team.clone()),
                    )
                });
                if !reach.may_act(assignment.as_ref()) {
                    return Err(ServiceError::Forbidden(format!(
                        "user '{}' ({}) may not act on lead '{lead_id}'",
                        user.username,
                        user.role.as_str()
                    )));
                }
                let Some(b) = by else { return Ok(actor(&user)) };
                let allowed = match &reach {
                    Reach::Rep { rep, .. } => b == rep,
                    Reach::Teams(teams) => b == user.username || by_team.is_some_and(|t| teams.contains(&t)),
                    Reach::All => false,
                };
                if allowed {
                    Ok(b.to_string())
                } else {
                    Err(ServiceError::Forbidden(format!("user '{}' may not act for '{b}'", user.username)))
                }
            }
            None => match by {
                None => Ok(key_actor.to_string()),
                Some(b) if self.read_state(|_, ops| ops.reps.contains_key(b)) => Ok(b.to_string()),
                Some(b) => Err(ServiceError::Forbidden(format!(
                    "'{b}' is no rep of the directory: a key bound to no user acts only for reps (bind keys to users with `leadrank keys create --user`)"
                ))),
            },
        }
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
