//! `leadrank users`: the people who sign in to the web app.

use std::io::BufRead;

use anyhow::Context;
use clap::Subcommand;
use leadrank_service::users::{self, NewUser, Role};
use leadrank_store::AuditEntry;

use crate::cmd_serve::{DbArg, open_store, runtime};

#[derive(Subcommand)]
pub enum UsersCommand {
    /// Create a user of the web app. Without --password-stdin a password is generated and
    /// printed once.
    Create {
        #[command(flatten)]
        db: DbArg,
        /// Sign-in name: a-z, 0-9, '.', '_', '-', '@' (e.g. maria or maria@acme.com).
        #[arg(long)]
        username: String,
        /// Display name.
        #[arg(long)]
        name: String,
        /// rep (works the leads of one rep of the directory), manager (of one or more
        /// teams), revops (models, routing, data, reports) or admin (users, keys, webhooks,
        /// privacy).
        #[arg(long)]
        role: String,
        /// The rep of the sales directory a rep user works as.
        #[arg(long)]
        rep: Option<String>,
        /// A team a manager manages (repeat for several).
        #[arg(long = "team")]
        teams: Vec<String>,
        /// Read the password from the first line of standard input (12 to 256 characters).
        #[arg(long)]
        password_stdin: bool,
    },
    /// List users: username, role, rep or teams, state (never password hashes).
    List {
        #[command(flatten)]
        db: DbArg,
    },
    /// Disable a user: they cannot sign in and every session of theirs ends.
    Disable {
        #[command(flatten)]
        db: DbArg,
        username: String,
    },
    /// Enable a disabled user again.
    Enable {
        #[command(flatten)]
        db: DbArg,
        username: String,
    },
    /// Set a new password (generated and printed once, or --password-stdin); every session
    /// of the user ends.
    ResetPassword {
        #[command(flatten)]
        db: DbArg,
        username: String,
        #[arg(long)]
        password_stdin: bool,
    },
}

fn password(from_stdin: bool) -> anyhow::Result<(String, bool)> {
    if !from_stdin {
        return Ok((users::generate_password(), true));
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).context("reading the password from standard input")?;
    let p = line.trim_end_matches(['\r', '\n']).to_string();
    users::check_password(&p).context("--password-stdin")?;
    Ok((p, false))
}

async fn audit(store: &dyn leadrank_store::Store, action: &str, detail: String) -> anyhow::Result<()> {
    let entry = AuditEntry { at: jiff::Timestamp::now(), actor: "cli".into(), action: action.into(), detail };
    store.audit(&entry).await?;
    Ok(())
}

pub fn users_command(cmd: &UsersCommand) -> anyhow::Result<()> {
    runtime()?.block_on(async {
        match cmd {
            UsersCommand::Create { db, username, name, role, rep, teams, password_stdin } => {
                let role = Role::parse(role).context("--role")?;
                let (pw, generated) = password(*password_stdin)?;
                let store = open_store(db).await?;
                let new = NewUser { username: username.clone(), name: name.clone(), role, rep: rep.clone(), teams: teams.clone() };
                let u = users::create(store.as_ref(), new, &pw, jiff::Timestamp::now()).await?;
                audit(store.as_ref(), "user.create", format!("{} ({})", u.username, u.role.as_str())).await?;
                if generated {
                    println!("{pw}");
                    eprintln!("user {} ({}) created; the password above is shown once", u.username, u.role.as_str());
                } else {
                    eprintln!("user {} ({}) created", u.username, u.role.as_str());
                }
            }
            UsersCommand::List { db } => {
                let store = open_store(db).await?;
                for u in users::users(store.as_ref()).await? {
                    let scope = match (&u.rep, u.teams.is_empty()) {
                        (Some(r), _) => format!("rep {r}"),
                        (None, false) => format!("teams {}", u.teams.join(",")),
                        (None, true) => "-".into(),
                    };
                    let state = if u.disabled { "disabled" } else { "active" };
                    println!("{}\t{}\t{}\t{scope}\t{state}\t{}", u.username, u.name, u.role.as_str(), u.created_at);
                }
            }
            UsersCommand::Disable { db, username } | UsersCommand::Enable { db, username } => {
                let disable = matches!(cmd, UsersCommand::Disable { .. });
                let store = open_store(db).await?;
                users::set_disabled(store.as_ref(), username, disable, jiff::Timestamp::now()).await?;
                audit(store.as_ref(), if disable { "user.disable" } else { "user.enable" }, username.clone()).await?;
                eprintln!("user {username} {}", if disable { "disabled; their sessions ended" } else { "enabled" });
            }
            UsersCommand::ResetPassword { db, username, password_stdin } => {
                let (pw, generated) = password(*password_stdin)?;
                let store = open_store(db).await?;
                users::reset_password(store.as_ref(), username, &pw, jiff::Timestamp::now()).await?;
                audit(store.as_ref(), "user.reset_password", username.clone()).await?;
                if generated {
                    println!("{pw}");
                }
                eprintln!("password of {username} reset; their sessions ended");
            }
        }
        Ok(())
    })
}
