//! The page shell (head, navigation by role, sign-out), error pages and small shared pieces.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use leadrank_service::users::Role;
use maud::{DOCTYPE, Markup, html};

use crate::auth::Signed;

fn head(title: &str) -> Markup {
    html! {
        head {
            meta charset="utf-8";
            meta name="viewport" content="width=device-width, initial-scale=1";
            title { (title) " · leadrank" }
            link rel="stylesheet" href="/assets/app.css";
            script src="/assets/app.js" defer {}
        }
    }
}

/// A page without navigation (sign-in, errors).
pub fn bare(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            (head(title))
            body { (body) }
        }
    }
}

/// A page with the navigation of the signed-in user's role; `active` is the current
/// screen's path.
pub fn shell(signed: &Signed, title: &str, active: &str, body: Markup) -> Response {
    let user = &signed.who.user;
    let mut links: Vec<(&str, &str)> = Vec::new();
    if user.role == Role::Rep {
        links.push(("/queue", "My queue"));
    }
    links.push(("/team", if user.role == Role::Rep { "My team" } else { "Team" }));
    if user.role != Role::Rep {
        links.push(("/quality", "Quality"));
        links.push(("/models", "Models"));
    }
    if matches!(user.role, Role::Revops | Role::Admin) {
        links.push(("/import", "Import"));
        links.push(("/settings", "Settings"));
    }
    html! {
        (DOCTYPE)
        html lang="en" {
            (head(title))
            body data-csrf=(signed.who.csrf) {
                a.skip href="#main" { "Skip to content" }
                header.top {
                    nav aria-label="Main" {
                        span.brand { "leadrank" }
                        @for (href, label) in &links {
                            @if *href == active {
                                a href=(href) aria-current="page" { (label) }
                            } @else {
                                a href=(href) { (label) }
                            }
                        }
                    }
                    div.who {
                        span { (user.name) " · " (user.role.as_str()) }
                        form method="post" action="/logout" {
                            input type="hidden" name="csrf" value=(signed.who.csrf);
                            button.link type="submit" { "Sign out" }
                        }
                        form method="post" action="/logout-everywhere" {
                            input type="hidden" name="csrf" value=(signed.who.csrf);
                            button.link type="submit" title="End every session of yours, on every device" { "Sign out everywhere" }
                        }
                    }
                }
                main #main { (body) }
            }
        }
    }
    .into_response()
}

/// An error page with a status.
pub fn error(status: StatusCode, title: &str, detail: &str) -> Response {
    let body = html! {
        main.signin {
            h1 { (title) }
            p { (detail) }
            p { a href="/" { "Back to leadrank" } }
        }
    };
    (status, bare(title, body)).into_response()
}

/// The page for a failed service operation: 404, 409 and 422 say what the service said;
/// anything else is logged and answered 500 without details.
pub fn failed(e: leadrank_service::ServiceError, what: &str) -> Response {
    use leadrank_service::ServiceError as E;
    match e {
        E::NotFound(m) => error(StatusCode::NOT_FOUND, "Not found", &format!("{m} not found.")),
        E::Conflict(m) => error(StatusCode::CONFLICT, "Not possible now", &m),
        E::Invalid(m) => error(StatusCode::UNPROCESSABLE_ENTITY, "Not accepted", &m),
        E::Forbidden(m) => error(StatusCode::FORBIDDEN, "Not allowed", &m),
        e => {
            tracing::error!(error = %e, "{what}");
            error(StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong", &format!("{what} failed; try again."))
        }
    }
}

/// "3 min ago", "2 h ago", "5 d ago".
pub fn ago(now: Timestamp, t: Timestamp) -> String {
    let s = now.duration_since(t).as_secs();
    match s {
        i64::MIN..=59 => "just now".into(),
        60..=3599 => format!("{} min ago", s / 60),
        3600..=86_399 => format!("{} h ago", s / 3600),
        _ => format!("{} d ago", s / 86_400),
    }
}

/// How an SLA deadline stands: the words and a class (`ok`, `soon` within 30 minutes, `late`).
pub fn countdown(now: Timestamp, due: Timestamp) -> (String, &'static str) {
    let s = due.duration_since(now).as_secs();
    if s < 0 {
        let late = -s;
        return (format!("{} late", span(late)), "late");
    }
    (format!("{} left", span(s)), if s <= 30 * 60 { "soon" } else { "ok" })
}

fn span(s: i64) -> String {
    match s {
        i64::MIN..=59 => format!("{s} s"),
        60..=3599 => format!("{} min", s / 60),
        3600..=86_399 => format!("{} h {} min", s / 3600, (s % 3600) / 60),
        _ => format!("{} d {} h", s / 86_400, (s % 86_400) / 3600),
    }
}

/// A person's name from a lead's fields ("—" when none is known).
pub fn person_name(first: Option<&str>, last: Option<&str>) -> String {
    let name = [first, last].into_iter().flatten().map(str::trim).filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" ");
    if name.is_empty() { "—".into() } else { name }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_as_words() {
        let now: Timestamp = "2026-01-05T12:00:00Z".parse().unwrap();
        assert_eq!(ago(now, "2026-01-05T11:58:30Z".parse().unwrap()), "1 min ago");
        assert_eq!(ago(now, "2026-01-03T12:00:00Z".parse().unwrap()), "2 d ago");
        assert_eq!(countdown(now, "2026-01-05T12:20:00Z".parse().unwrap()), ("20 min left".into(), "soon"));
        assert_eq!(countdown(now, "2026-01-05T14:30:00Z".parse().unwrap()), ("2 h 30 min left".into(), "ok"));
        assert_eq!(countdown(now, "2026-01-05T11:00:00Z".parse().unwrap()), ("1 h 0 min late".into(), "late"));
        assert_eq!(person_name(Some(" Ada "), None), "Ada");
        assert_eq!(person_name(None, Some("")), "—");
    }
}
