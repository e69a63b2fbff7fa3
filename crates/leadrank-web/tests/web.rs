//! The web app in-process, on demo data at a fixed time (SQLite always, PostgreSQL when
//! reachable): sign-in and sessions, form tokens, who may see and act on which lead, the
//! actor of actions, escaping of hostile data, the sign-in throttle and security headers.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use leadrank_core::records::{Event, lead_from_pairs};
use leadrank_lifecycle::Stage;
use leadrank_service::clock::{ManualClock, ReplayClock};
use leadrank_service::demo;
use leadrank_service::metrics::Metrics;
use leadrank_service::service::Service;
use leadrank_testkit::Backend;
use tower::ServiceExt;

struct App {
    svc: Arc<Service>,
    router: Router,
    users: Vec<demo::DemoUser>,
}

impl App {
    fn password(&self, username: &str) -> String {
        self.users.iter().find(|u| u.username == username).unwrap().password.clone()
    }

    async fn send(&self, req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, String) {
        let resp = self.router.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let body = axum::body::to_bytes(resp.into_body(), 4 << 20).await.unwrap();
        (status, headers, String::from_utf8_lossy(&body).into_owned())
    }

    async fn get(&self, path: &str, cookie: Option<&str>) -> (StatusCode, axum::http::HeaderMap, String) {
        let mut b = Request::get(path);
        if let Some(c) = cookie {
            b = b.header(header::COOKIE, format!("lr_session={c}"));
        }
        self.send(b.body(Body::empty()).unwrap()).await
    }

    async fn post(&self, path: &str, cookie: Option<&str>, form: &str) -> (StatusCode, axum::http::HeaderMap, String) {
        let mut b = Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(c) = cookie {
            b = b.header(header::COOKIE, format!("lr_session={c}"));
        }
        self.send(b.body(Body::from(form.to_string())).unwrap()).await
    }

    /// Signs in; returns the session token and the form token.
    async fn sign_in(&self, username: &str) -> (String, String) {
        let (status, headers, _) = self.post("/login", None, &format!("username={username}&password={}", self.password(username))).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{username} signs in");
        let token = session_cookie(&headers).expect("a session cookie");
        let (_, _, page) = self.get("/team", Some(&token)).await;
        (token, csrf_of(&page))
    }
}

fn session_cookie(headers: &axum::http::HeaderMap) -> Option<String> {
    let v = headers.get(header::SET_COOKIE)?.to_str().ok()?;
    assert!(v.contains("HttpOnly") && v.contains("SameSite=Strict") && v.contains("Path=/"), "{v}");
    let value = v.strip_prefix("lr_session=")?.split(';').next()?;
    (!value.is_empty()).then(|| value.to_string())
}

fn csrf_of(page: &str) -> String {
    let at = page.find("name=\"csrf\" value=\"").expect("a form token on the page") + 19;
    page[at..at + 32].to_string()
}

async fn app(backend: &Backend) -> App {
    let store = backend.open().await;
    // A Tuesday, 15:00 UTC: business hours in the Americas and Europe.
    let clock = Arc::new(ReplayClock::over(Arc::new(ManualClock::new("2026-03-03T15:00:00Z".parse().unwrap()))));
    let svc = Service::start(store, clock.clone(), Arc::new(Metrics::new())).await.unwrap();
    demo::load(&svc, &clock, 300, 7).await.unwrap();
    let users = demo::create_users(&svc).await.unwrap();
    assert_eq!(users.len(), 4);
    assert!(demo::create_users(&svc).await.unwrap().is_empty(), "demo users are made once");
    let router = leadrank_web::router(svc.clone(), None);
    App { svc, router, users }
}

/// A lead assigned to `rep` in one of `stages`, and one of another team.
fn lead_of(svc: &Service, rep: &str, stages: &[Stage]) -> Option<String> {
    svc.read_state(|live, ops| {
        live.ranking
            .iter()
            .map(|(_, id)| id)
            .find(|id| {
                ops.leads.get(*id).is_some_and(|s| {
                    stages.contains(&s.lifecycle.stage)
                        && s.assignment.as_ref().is_some_and(|a| !a.released && a.rep.as_deref() == Some(rep))
                })
            })
            .cloned()
    })
}

fn lead_of_other_team(svc: &Service, team: &str) -> String {
    svc.read_state(|_, ops| {
        ops.leads
            .iter()
            .find(|(_, s)| s.assignment.as_ref().is_some_and(|a| a.team.is_some() && a.team.as_deref() != Some(team)))
            .map(|(id, _)| id.clone())
            .expect("a lead of another team")
    })
}

fn rep_of(app: &App) -> (String, String) {
    let rep = app.users.iter().find(|u| u.username == "rep").unwrap().scope.trim_start_matches("rep ").to_string();
    let team = app.svc.read_state(|_, ops| ops.reps[&rep].team.clone());
    (rep, team)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_in_sessions_and_form_tokens() {
    for backend in Backend::all("web_auth").await {
        let app = app(&backend).await;
        // Not signed in: every screen sends to the sign-in page.
        for path in ["/", "/queue", "/team", "/leads/x", "/live"] {
            let (status, headers, _) = app.get(path, None).await;
            assert_eq!(status, StatusCode::SEE_OTHER, "{path}");
            assert_eq!(headers[header::LOCATION], "/login");
        }
        // Login CSRF: a sign-in (or any form) posted from another site is refused.
        let req = Request::post("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::HOST, "leadrank.example")
            .header(header::ORIGIN, "https://evil.example")
            .body(Body::from(format!("username=rep&password={}", app.password("rep"))))
            .unwrap();
        let (status, headers, _) = app.send(req).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert!(!headers.contains_key(header::SET_COOKIE));
        let req = Request::post("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::HOST, "leadrank.example")
            .header(header::ORIGIN, "https://leadrank.example")
            .body(Body::from("username=rep&password=wrong-password-here"))
            .unwrap();
        assert_eq!(app.send(req).await.0, StatusCode::UNAUTHORIZED, "the same site passes on to the password check");
        // A wrong password: 401, the same words for an unknown user.
        let (status, _, page) = app.post("/login", None, "username=rep&password=wrong-password-here").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert!(page.contains("Wrong username or password."));
        let (status, _, _) = app.post("/login", None, "username=nobody&password=wrong-password-here").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);

        // Session fixation: a token the browser brings is never adopted.
        let planted = "ab".repeat(32);
        let req = Request::post("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, format!("lr_session={planted}"))
            .body(Body::from(format!("username=rep&password={}", app.password("rep"))))
            .unwrap();
        let (status, headers, _) = app.send(req).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert_eq!(headers[header::LOCATION], "/queue", "a rep starts at their queue");
        let token = session_cookie(&headers).unwrap();
        assert_ne!(token, planted);
        assert_eq!(app.get("/queue", Some(&planted)).await.0, StatusCode::SEE_OTHER, "the planted token is no session");
        let (status, headers, page) = app.get("/queue", Some(&token)).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers[header::CONTENT_SECURITY_POLICY], leadrank_web::CSP);
        assert!(!leadrank_web::CSP.contains("unsafe-inline"));
        assert_eq!(headers[header::X_FRAME_OPTIONS], "DENY");
        assert!(page.contains("My queue") && !page.contains("<script>") && page.contains("<script src=\"/assets/app.js\" defer>"));
        let csrf = csrf_of(&page);

        // The rep's own lead: a POST without or with a wrong form token changes nothing.
        let (rep, _) = rep_of(&app);
        let lead = lead_of(&app.svc, &rep, &[Stage::Mql, Stage::Pql, Stage::Recycled]).expect("an mql lead of the rep");
        for form in ["", "csrf=0123456789abcdef0123456789abcdef"] {
            let (status, _, page) = app.post(&format!("/leads/{lead}/accept"), Some(&token), form).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{form:?}");
            assert!(page.contains("This form has expired"));
        }
        let stage = |id: &str| app.svc.read_state(|_, ops| ops.leads[id].lifecycle.stage);
        assert_ne!(stage(&lead), Stage::Sal);
        let (status, headers, _) = app.post(&format!("/leads/{lead}/accept"), Some(&token), &format!("csrf={csrf}&back=/queue")).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert_eq!(headers[header::LOCATION], "/queue");
        assert_eq!(stage(&lead), Stage::Sal);
        // The actor is the signed-in rep, whatever a form might say.
        let log = app.svc.lead_log(&lead).await.unwrap();
        let last: leadrank_lifecycle::Transition =
            serde_json::from_str(&log.iter().rev().find(|e| e.kind == "transition").unwrap().body).unwrap();
        assert_eq!((last.to, last.actor.as_str()), (Stage::Sal, format!("user:{rep}").as_str()));

        // Sign out everywhere ends the other session too; the old form token dies with it.
        let (other, _) = app.sign_in("rep").await;
        let (status, headers, _) = app.post("/logout-everywhere", Some(&token), &format!("csrf={csrf}")).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert!(headers[header::SET_COOKIE].to_str().unwrap().contains("Max-Age=0"));
        assert_eq!(app.get("/queue", Some(&other)).await.0, StatusCode::SEE_OTHER);
        assert_eq!(app.get("/queue", Some(&token)).await.0, StatusCode::SEE_OTHER);

        // A disabled user's sessions end and they cannot sign in.
        let (mgr, _) = app.sign_in("manager").await;
        app.svc.set_user_disabled("manager", true, "test").await.unwrap();
        assert_eq!(app.get("/team", Some(&mgr)).await.0, StatusCode::SEE_OTHER);
        let (status, _, _) = app.post("/login", None, &format!("username=manager&password={}", app.password("manager"))).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        backend.drop_schema().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn who_sees_and_acts_on_which_lead() {
    for backend in Backend::all("web_access").await {
        let app = app(&backend).await;
        let (rep, team) = rep_of(&app);
        let other = lead_of_other_team(&app.svc, &team);
        let mine = lead_of(&app.svc, &rep, &[Stage::Mql, Stage::Pql, Stage::Recycled]).unwrap();

        let (rep_token, rep_csrf) = app.sign_in("rep").await;
        assert_eq!(app.get(&format!("/leads/{mine}"), Some(&rep_token)).await.0, StatusCode::OK);
        let (status, _, page) = app.get(&format!("/leads/{other}"), Some(&rep_token)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "a rep cannot open another team's lead");
        assert!(page.contains("Not your lead"));
        assert_eq!(
            app.post(&format!("/leads/{other}/accept"), Some(&rep_token), &format!("csrf={rep_csrf}")).await.0,
            StatusCode::FORBIDDEN
        );
        assert_eq!(app.get("/leads/no-such-lead", Some(&rep_token)).await.0, StatusCode::NOT_FOUND);
        // A rep cannot re-assign.
        assert_eq!(
            app.post(&format!("/leads/{mine}/reassign"), Some(&rep_token), &format!("csrf={rep_csrf}")).await.0,
            StatusCode::FORBIDDEN
        );

        // The manager of the rep's team sees and re-assigns the rep's lead; not the other's.
        let (mgr, mgr_csrf) = app.sign_in("manager").await;
        assert_eq!(app.get(&format!("/leads/{mine}"), Some(&mgr)).await.0, StatusCode::OK);
        assert_eq!(app.get(&format!("/leads/{other}"), Some(&mgr)).await.0, StatusCode::FORBIDDEN);
        let (status, _, _) = app.post(&format!("/leads/{mine}/reassign"), Some(&mgr), &format!("csrf={mgr_csrf}")).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let owner = app.svc.read_state(|_, ops| ops.leads[&mine].assignment.clone().unwrap());
        assert_ne!(owner.rep.as_deref(), Some(rep.as_str()), "routed away from the rep");

        // RevOps reads every lead and acts on none.
        let (revops, revops_csrf) = app.sign_in("revops").await;
        assert_eq!(app.get(&format!("/leads/{other}"), Some(&revops)).await.0, StatusCode::OK);
        assert_eq!(
            app.post(&format!("/leads/{other}/reject"), Some(&revops), &format!("csrf={revops_csrf}&reason=spam")).await.0,
            StatusCode::FORBIDDEN
        );
        backend.drop_schema().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_data_renders_as_text() {
    for backend in Backend::all("web_xss").await {
        let app = app(&backend).await;
        let lead = lead_from_pairs([
            ("lead_id", "XSS-1"),
            ("first_name", "<script>alert(1)</script>"),
            ("last_name", "O'Brien & \"Sons\""),
            ("company", "\"><img src=x onerror=alert(2)>"),
            ("title", "<b>VP</b>"),
            ("email", "x@example.com"),
        ])
        .unwrap();
        app.svc.upsert_leads(vec![lead]).await.unwrap();
        let event = Event {
            event_id: "xss-e1".into(),
            lead_id: "XSS-1".into(),
            event_type: "page_view".into(),
            occurred_at: "2026-03-03T14:00:00Z".parse().unwrap(),
            url: Some("javascript:alert(3)".into()),
            properties: None,
        };
        app.svc.ingest_events(vec![event]).await.unwrap();
        let (token, _) = app.sign_in("revops").await;
        let (status, _, page) = app.get("/leads/XSS-1", Some(&token)).await;
        assert_eq!(status, StatusCode::OK);
        for raw in ["<script>alert", "<img src=x", "<b>VP", "href=\"javascript:"] {
            assert!(!page.contains(raw), "{raw} must not reach the page as markup");
        }
        for escaped in [
            "&lt;script&gt;alert(1)&lt;/script&gt;",
            "&quot;&gt;&lt;img src=x onerror=alert(2)&gt;",
            "javascript:alert(3)",
            "O'Brien &amp; &quot;Sons&quot;",
        ] {
            assert!(page.contains(escaped), "{escaped} is shown as text");
        }
        backend.drop_schema().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_is_throttled_after_five_failures() {
    let backend = Backend::Sqlite(tempfile::tempdir().unwrap());
    let app = app(&backend).await;
    for i in 0..5 {
        let (status, _, _) = app.post("/login", None, "username=admin&password=not-the-password").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "attempt {i}");
    }
    let (status, headers, page) = app.post("/login", None, &format!("username=admin&password={}", app.password("admin"))).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "even the right password waits");
    assert!(headers.contains_key(header::RETRY_AFTER));
    assert!(page.contains("Too many failed sign-ins"));
    // Other users are not locked out by it.
    app.sign_in("revops").await;
}

fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_model_is_previewed_signed_off_by_both_sides_then_published() {
    let backend = Backend::Sqlite(tempfile::tempdir().unwrap());
    let app = app(&backend).await;
    let (revops, csrf) = app.sign_in("revops").await;
    let (status, _, page) = app.get("/models/new", Some(&revops)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("quality_threshold = 80"), "the editor starts from the active model");
    // The live check locates problems.
    let broken = "name = \"x\"\nversion = \"1\"\nquality_threshold = \"high\"\n";
    let (status, _, json) = app.post("/models/check", Some(&revops), &format!("csrf={csrf}&source={}", url_encode(broken))).await;
    assert_eq!(status, StatusCode::OK);
    let issues: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    assert!(!issues.is_empty() && issues.iter().all(|i| i["line"].as_u64().unwrap() >= 1), "{json}");
    // A broken file is not stored: the editor comes back with the problems.
    let (status, _, page) = app.post("/models", Some(&revops), &format!("csrf={csrf}&source={}", url_encode(broken))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("line "));
    assert_eq!(app.svc.models().await.unwrap().len(), 1);

    // A lower threshold: more quality leads.
    let source = app.svc.models().await.unwrap()[0]
        .source
        .replace("quality_threshold = 80", "quality_threshold = 60")
        .replace("version = \"1.1.0\"", "version = \"1.2.0\"");
    let (status, headers, _) = app.post("/models", Some(&revops), &format!("csrf={csrf}&source={}", url_encode(&source))).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let at = headers[header::LOCATION].to_str().unwrap().to_string();
    let id: i64 = at.trim_start_matches("/models/").parse().unwrap();
    let (status, _, page) = app.get(&at, Some(&revops)).await;
    assert_eq!(status, StatusCode::OK);
    let preview = app.svc.preview_model(id).await.unwrap();
    assert_eq!(preview.leads, 300);
    assert!(preview.quality_draft > preview.quality_active && !preview.became.is_empty() && preview.stopped.is_empty());
    assert!(page.contains(&format!("Become quality leads ({})", preview.became.len())));
    assert!(page.contains("Quality threshold: 80 → <strong>60</strong>"));

    // Publishing waits for both sides.
    let (status, _, page) = app.post(&format!("{at}/publish"), Some(&revops), &format!("csrf={csrf}")).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(page.contains("still needs the sign-off of sales and marketing"), "{page}");
    let (status, _, _) = app.post(&format!("{at}/signoff"), Some(&revops), &format!("csrf={csrf}&comment=&preview=x")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a sign-off needs a comment");
    let sign = format!("csrf={csrf}&comment={}&preview={}", url_encode("MQL volume up, fine for Q3"), url_encode(&preview.summary()));
    assert_eq!(app.post(&format!("{at}/signoff"), Some(&revops), &sign).await.0, StatusCode::SEE_OTHER);
    assert_eq!(app.svc.missing_sign_offs(id).await.unwrap(), vec![leadrank_service::workspace::Side::Sales]);
    // A rep sees no workspace; the manager signs off for sales.
    let (rep, _) = app.sign_in("rep").await;
    assert_eq!(app.get("/models", Some(&rep)).await.0, StatusCode::FORBIDDEN);
    let (mgr, mgr_csrf) = app.sign_in("manager").await;
    assert_eq!(
        app.post(&format!("{at}/publish"), Some(&mgr), &format!("csrf={mgr_csrf}")).await.0,
        StatusCode::FORBIDDEN,
        "RevOps publishes"
    );
    let sign = format!("csrf={mgr_csrf}&comment={}&preview=seen", url_encode("Team can take the extra MQLs"));
    assert_eq!(app.post(&format!("{at}/signoff"), Some(&mgr), &sign).await.0, StatusCode::SEE_OTHER);
    assert!(app.svc.missing_sign_offs(id).await.unwrap().is_empty());

    assert_eq!(app.post(&format!("{at}/publish"), Some(&revops), &format!("csrf={csrf}")).await.0, StatusCode::SEE_OTHER);
    for _ in 0..600 {
        if app.svc.model().0 == id && app.svc.activation().state != "running" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(app.svc.model().0, id, "the signed-off version is active");
    let quality_now = app.svc.read_state(|live, _| live.current.values().filter(|c| c.score.quality).count());
    assert_eq!(quality_now, preview.quality_draft, "the preview told what publishing did");
    // The history shows who agreed, when and why.
    let (_, _, list) = app.get("/models", Some(&mgr)).await;
    assert!(list.contains("Robin RevOps (marketing)") && list.contains("Morgan Manager (sales)"), "{list}");
    let audit = app.svc.audit_log(50).await.unwrap();
    assert!(audit.iter().any(|a| a.action == "model.activate" && a.actor == "user:revops"), "{audit:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_manages_users_reps_and_erases_a_person() {
    let backend = Backend::Sqlite(tempfile::tempdir().unwrap());
    let app = app(&backend).await;
    let (mgr, _) = app.sign_in("manager").await;
    assert_eq!(app.get("/settings", Some(&mgr)).await.0, StatusCode::FORBIDDEN);
    let (admin, csrf) = app.sign_in("admin").await;
    let (status, _, page) = app.get("/settings", Some(&admin)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Riley Rep") && !page.contains("$argon2"), "users listed, never their hashes");

    // A new RevOps user; the password is shown once and works.
    let (status, _, page) =
        app.post("/settings/users", Some(&admin), &format!("csrf={csrf}&username=Dana&name=Dana+Ops&role=revops&rep=&teams=")).await;
    assert_eq!(status, StatusCode::OK);
    let marker = "Password (shown once): <code class=\"secret\">";
    let at = page.find(marker).unwrap() + marker.len();
    let password = &page[at..at + 20];
    let (status, _, _) = app.post("/login", None, &format!("username=dana&password={password}")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    // A rep user must name a rep of the directory.
    let (status, _, page) = app.post("/settings/users", Some(&admin), &format!("csrf={csrf}&username=x&name=X&role=rep&rep=&teams=")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("names the rep"));
    // Disable, and the admin cannot lock themself out.
    let (rep_token, _) = app.sign_in("rep").await;
    assert_eq!(
        app.post("/settings/users/state", Some(&admin), &format!("csrf={csrf}&username=rep&disabled=1")).await.0,
        StatusCode::SEE_OTHER
    );
    assert_eq!(app.get("/queue", Some(&rep_token)).await.0, StatusCode::SEE_OTHER, "the disabled rep's session ended");
    assert_eq!(
        app.post("/settings/users/state", Some(&admin), &format!("csrf={csrf}&username=admin&disabled=1")).await.0,
        StatusCode::CONFLICT
    );

    // A rep goes away with a new capacity.
    let (rep, _) = rep_of(&app);
    assert_eq!(app.post("/settings/reps", Some(&admin), &format!("csrf={csrf}&id={rep}&capacity=7&away=1")).await.0, StatusCode::SEE_OTHER);
    let r = app.svc.read_state(|_, ops| ops.reps[&rep].clone());
    assert_eq!((r.capacity, r.away), (7, true));
    assert_eq!(
        app.post("/settings/reps", Some(&admin), &format!("csrf={csrf}&id={rep}&capacity=0")).await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    // The routing file: problems located, nothing saved; a good file saved.
    let before = app.svc.read_state(|_, ops| ops.routing_source.clone());
    let (status, _, page) =
        app.post("/settings/routing", Some(&admin), &format!("csrf={csrf}&source={}", url_encode("[[rule]]\nname = 3\n"))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("line "), "{page}");
    assert_eq!(app.svc.read_state(|_, ops| ops.routing_source.clone()), before);
    let edited = format!("# edited in settings\n{before}");
    assert_eq!(
        app.post("/settings/routing", Some(&admin), &format!("csrf={csrf}&source={}", url_encode(&edited))).await.0,
        StatusCode::SEE_OTHER
    );
    assert_eq!(app.svc.read_state(|_, ops| ops.routing_source.clone()), edited);

    // Erasure needs the confirmation, then removes the person.
    let victim = app.svc.read_state(|live, _| live.book.leads().next().unwrap().lead_id.clone());
    assert_eq!(
        app.post("/settings/erase", Some(&admin), &format!("csrf={csrf}&lead_id={victim}")).await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert!(app.svc.read_state(|live, _| live.book.lead(&victim).is_some()));
    let (status, _, page) = app.post("/settings/erase", Some(&admin), &format!("csrf={csrf}&lead_id={victim}&confirm=yes")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Erased 1 lead record(s)"), "{page}");
    assert!(app.svc.read_state(|live, _| live.book.lead(&victim).is_none()));
    let audit = app.svc.audit_log(100).await.unwrap();
    for action in ["user.create", "user.disable", "rep.update", "routing.put", "erase"] {
        assert!(audit.iter().any(|a| a.action == action && a.actor == "user:admin"), "{action}: {audit:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_quality_screen_counts_what_the_filters_keep() {
    let backend = Backend::Sqlite(tempfile::tempdir().unwrap());
    let app = app(&backend).await;
    let (rep, _) = app.sign_in("rep").await;
    assert_eq!(app.get("/quality", Some(&rep)).await.0, StatusCode::FORBIDDEN);
    let (revops, _) = app.sign_in("revops").await;
    let (status, _, page) = app.get("/quality", Some(&revops)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("<strong>300</strong> leads"), "every demo lead counts");
    assert!(page.contains("By score decile") && page.contains("small sample"));
    let (facts, _) = app.svc.lead_facts();
    let source = facts.iter().find_map(|f| f.source.clone()).unwrap();
    let n = facts.iter().filter(|f| f.source.as_deref() == Some(source.as_str())).count();
    let (_, _, page) = app.get(&format!("/quality?source={}", url_encode(&source)), Some(&revops)).await;
    assert!(page.contains(&format!("<strong>{n}</strong> leads")), "{source}: {n}");
    // Revenue: n/a until a deal with an amount is stored; then the won amount, counted once.
    assert!(page.contains("no deal with an amount is stored yet"), "{page}");
    let won = leadrank_metrics::report::Opportunity {
        id: "OPP-1".into(),
        lead_id: Some(facts[0].lead_id.clone()),
        account_id: None,
        created_at: None,
        closed_at: None,
        status: leadrank_metrics::report::OppStatus::Won,
        amount: Some(12345.0),
        loss_reason: None,
    };
    app.svc.upsert_deals(vec![won.clone(), won]).await.unwrap();
    let (_, _, page) = app.get("/quality", Some(&revops)).await;
    assert!(page.contains("won revenue 12,345 from 1 won deal(s)"), "{page}");
    assert!(page.contains("100.0%"), "the one deal is all the won revenue of its group: {page}");
    let (status, _, page) = app.get("/quality?from=2026-13-01", Some(&revops)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("from: &#39;2026-13-01&#39; is not a date") || page.contains("from: '2026-13-01' is not a date"), "{page}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_queue_shows_each_scores_change_since_the_reps_last_look() {
    let backend = Backend::Sqlite(tempfile::tempdir().unwrap());
    let app = app(&backend).await;
    let (rep, _) = rep_of(&app);
    let lead = lead_of(&app.svc, &rep, &[Stage::Mql, Stage::Pql, Stage::Recycled, Stage::Sal]).unwrap();
    let total = app.svc.score_now(&lead).unwrap().0.total;
    let (token, _) = app.sign_in("rep").await;
    let change = "title=\"Change since you last opened your queue\"";
    let row_of = |page: &str| -> String {
        let at = page.find(&format!("data-lead=\"{lead}\"")).expect("the lead in the queue");
        page[at..at + page[at..].find("</tr>").unwrap()].to_string()
    };
    assert!(!row_of(&app.get("/queue", Some(&token)).await.2).contains(change), "a first look shows no change");
    // As if the rep had last looked when the lead had 7 points fewer.
    app.svc.remember_queue_look("rep", [(lead.clone(), total - 7)]);
    let row = row_of(&app.get("/queue/rows", Some(&token)).await.2);
    assert!(row.contains(change) && row.contains(">+7<"), "{row}");
    // The live refresh keeps the last look; opening the queue makes this look the last one.
    assert!(row_of(&app.get("/queue/rows", Some(&token)).await.2).contains(">+7<"));
    app.get("/queue", Some(&token)).await;
    assert!(!row_of(&app.get("/queue/rows", Some(&token)).await.2).contains(change));
    assert_eq!(app.svc.queue_looks("rep").await.unwrap().get(&lead), Some(&total));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rep_snoozes_a_lead_and_sees_its_buying_committee() {
    let backend = Backend::Sqlite(tempfile::tempdir().unwrap());
    let app = app(&backend).await;
    let (rep, _) = rep_of(&app);
    let lead = lead_of(&app.svc, &rep, &[Stage::Mql, Stage::Pql, Stage::Recycled, Stage::Sal]).unwrap();
    let (token, csrf) = app.sign_in("rep").await;
    let row = format!("data-lead=\"{lead}\"");
    assert!(app.get("/queue/rows", Some(&token)).await.2.contains(&row));
    assert_eq!(
        app.post(&format!("/leads/{lead}/snooze"), Some(&token), &format!("csrf={csrf}&hours=500")).await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(app.post(&format!("/leads/{lead}/snooze"), Some(&token), &format!("csrf={csrf}&hours=4")).await.0, StatusCode::SEE_OTHER);
    assert!(!app.get("/queue/rows", Some(&token)).await.2.contains(&row), "a snoozed lead leaves the queue");
    let shown = app.get("/queue/rows?snoozed=1", Some(&token)).await.2;
    assert!(shown.contains(&row) && shown.contains("snoozed until 2026-03-03 19:00 UTC"), "{shown}");
    assert_eq!(app.post(&format!("/leads/{lead}/snooze"), Some(&token), &format!("csrf={csrf}&hours=0")).await.0, StatusCode::SEE_OTHER);
    assert!(app.get("/queue/rows", Some(&token)).await.2.contains(&row), "woken");
    let log = app.svc.lead_log(&lead).await.unwrap();
    assert_eq!(log.iter().filter(|e| e.kind == "snooze").count(), 2);

    // The lead page shows the account's committee when the lead has an account.
    let with_account = app.svc.read_state(|live, ops| {
        live.book
            .leads()
            .find(|l| {
                l.account_id.as_deref().is_some_and(|a| live.book.account(a).is_some())
                    && ops
                        .leads
                        .get(&l.lead_id)
                        .is_some_and(|s| s.assignment.as_ref().is_some_and(|a| a.rep.as_deref() == Some(rep.as_str())))
            })
            .map(|l| l.lead_id.clone())
    });
    if let Some(id) = with_account {
        let page = app.get(&format!("/leads/{id}"), Some(&token)).await.2;
        assert!(page.contains("Buying committee") && page.contains("decision maker"), "{id}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_sets_up_a_team_a_rep_and_a_webhook_in_settings() {
    let backend = Backend::Sqlite(tempfile::tempdir().unwrap());
    let app = app(&backend).await;
    let (token, csrf) = app.sign_in("admin").await;

    // A team with its business hours; the days are repeated fields.
    let form = format!(
        "csrf={csrf}&id=dach-enterprise&name=DACH+Enterprise&timezone=Europe%2FBerlin&start=08%3A30&end=17%3A00&day=mon&day=tue&day=wed&day=thu"
    );
    let (status, _, _) = app.post("/settings/teams", Some(&token), &form).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let team = app.svc.read_state(|_, ops| ops.teams.get("dach-enterprise").cloned()).expect("the team exists");
    assert_eq!((team.timezone.as_str(), team.calendar.start.as_str(), team.calendar.days.len()), ("Europe/Berlin", "08:30", 4));
    // A bad time zone is refused, naming it, and changes nothing.
    let bad = format!("csrf={csrf}&id=dach-enterprise&timezone=Europe%2FAtlantis&start=08%3A30&end=17%3A00&day=mon");
    let (status, _, page) = app.post("/settings/teams", Some(&token), &bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    assert!(page.contains("Europe/Atlantis"), "{page}");
    assert_eq!(app.svc.read_state(|_, ops| ops.teams["dach-enterprise"].timezone.clone()), "Europe/Berlin");

    // A rep in it, with a weight.
    let form = format!("csrf={csrf}&id=mia&name=Mia&team=dach-enterprise&capacity=40&weight=2");
    let (status, _, page) = app.post("/settings/reps/new", Some(&token), &form).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    let rep = app.svc.read_state(|_, ops| ops.reps.get("mia").cloned()).expect("the rep exists");
    assert_eq!((rep.team.as_str(), rep.capacity, rep.weight), ("dach-enterprise", 40, Some(2)));
    let (status, _, page) =
        app.post("/settings/reps/new", Some(&token), &format!("csrf={csrf}&id=x&team=nowhere&capacity=1&weight=1")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("nowhere"), "{page}");
    let (status, _, page) =
        app.post("/settings/reps/new", Some(&token), &format!("csrf={csrf}&id=y&team=dach-enterprise&capacity=0&weight=1")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("capacity '0'"), "{page}");

    // A webhook: the secret is shown once; a private target is refused with the reason.
    let form = format!("csrf={csrf}&url=https%3A%2F%2Fhooks.example.com%2Fleadrank&event=lead.quality&event=sla.breached");
    let (status, _, page) = app.post("/settings/webhooks", Some(&token), &form).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("Signing secret (shown once)") && page.contains("whsec_"), "{page}");
    let subs = app.svc.subscriptions().await.unwrap();
    assert_eq!(subs.len(), 1);
    assert_eq!(subs[0].events, ["lead.quality", "sla.breached"]);
    let (status, _, page) =
        app.post("/settings/webhooks", Some(&token), &format!("csrf={csrf}&url=http%3A%2F%2F127.0.0.1%3A9%2Fx&event=lead.quality")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("must be public"), "{page}");

    // Only admins, and only with the form token.
    let (status, _, _) = app.post("/settings/teams", Some(&token), "id=t2&timezone=UTC&start=09%3A00&end=17%3A00").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (mtoken, mcsrf) = app.sign_in("manager").await;
    let (status, _, _) =
        app.post("/settings/teams", Some(&mtoken), &format!("csrf={mcsrf}&id=t3&timezone=UTC&start=09%3A00&end=17%3A00")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(app.svc.read_state(|_, ops| !ops.teams.contains_key("t2") && !ops.teams.contains_key("t3")));

    // Removal: the page offers it; a team with reps is refused naming them; a rep, then its
    // team, then the webhook go, each audited; a manager cannot; a missing id is a 404.
    let (_, _, settings) = app.get("/settings", Some(&token)).await;
    assert!(
        settings.contains("action=\"/settings/reps/delete\"") && settings.contains("action=\"/settings/webhooks/delete\""),
        "{settings}"
    );
    let (status, _, page) = app.post("/settings/teams/delete", Some(&token), &format!("csrf={csrf}&id=dach-enterprise")).await;
    assert_eq!(status, StatusCode::CONFLICT, "{page}");
    assert!(page.contains("mia"), "{page}");
    let (status, _, _) = app.post("/settings/reps/delete", Some(&mtoken), &format!("csrf={mcsrf}&id=mia")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = app.post("/settings/reps/delete", Some(&token), "id=mia").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "no form token");
    let (status, _, page) = app.post("/settings/reps/delete", Some(&token), &format!("csrf={csrf}&id=mia")).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    assert!(app.svc.read_state(|_, ops| !ops.reps.contains_key("mia")));
    let (status, _, _) = app.post("/settings/teams/delete", Some(&token), &format!("csrf={csrf}&id=dach-enterprise")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(app.svc.read_state(|_, ops| !ops.teams.contains_key("dach-enterprise")));
    let (status, _, _) = app.post("/settings/teams/delete", Some(&token), &format!("csrf={csrf}&id=dach-enterprise")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let hook = subs[0].id.clone();
    let (status, _, _) = app.post("/settings/webhooks/delete", Some(&token), &format!("csrf={csrf}&id={hook}")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(app.svc.subscriptions().await.unwrap().is_empty());
    let audit: Vec<String> = app.svc.audit_log(20).await.unwrap().into_iter().map(|a| a.action).collect();
    for action in ["rep.delete", "team.delete", "webhook.delete"] {
        assert!(audit.iter().any(|a| a == action), "{action} audited: {audit:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_makes_and_deletes_alert_rules_in_settings() {
    let backend = Backend::Sqlite(tempfile::tempdir().unwrap());
    let app = app(&backend).await;
    let (token, csrf) = app.sign_in("admin").await;
    let (_, _, settings) = app.get("/settings", Some(&token)).await;
    assert!(settings.contains("No alert rules.") && settings.contains("action=\"/settings/alerts\""), "{settings}");
    let (_, team) = rep_of(&app);

    // A Slack rule for a team's leads, with a warning 5 minutes before a milestone, sent as an
    // hourly digest; the page lists it with the URL masked.
    let url = "https%3A%2F%2Fhooks.slack.com%2Fservices%2FT000%2FB000%2FSECRETPART";
    let form = format!(
        "csrf={csrf}&name=Hot+leads&channel=slack&destination={url}&event=lead.quality&event=sla.warning&warn_minutes=5&for=team%3A{team}&digest=hourly"
    );
    let (status, headers, page) = app.post("/settings/alerts", Some(&token), &form).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    assert_eq!(headers[header::LOCATION], "/settings#alerts-h");
    let rules = app.svc.alert_rules().await.unwrap();
    assert_eq!(rules.len(), 1);
    let rule = &rules[0];
    assert_eq!(rule.rule.events, ["lead.quality", "sla.warning"]);
    assert_eq!(rule.rule.warn_minutes, 5);
    assert_eq!(rule.rule.scope, leadrank_alerts::Scope::Team(team.clone()));
    assert_eq!(rule.rule.digest, Some(leadrank_alerts::Digest::Hourly));
    let (_, _, settings) = app.get("/settings", Some(&token)).await;
    assert!(settings.contains("Hot leads") && settings.contains(&format!("team {team}")), "{settings}");
    assert!(settings.contains("hourly digest") && settings.contains("warning 5 min before"), "{settings}");
    assert!(!settings.contains("SECRETPART"), "the webhook URL is shown masked");
    // Alert rules are not webhooks: the webhooks list stays empty.
    assert!(app.svc.subscriptions().await.unwrap().is_empty());

    // Refused rules say which field and why, and create nothing.
    let (status, _, page) = app
        .post("/settings/alerts", Some(&token), &format!("csrf={csrf}&name=x&channel=email&destination=not-an-address&event=lead.assigned"))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Webhook URL or email address:"), "{page}");
    let (status, _, page) =
        app.post("/settings/alerts", Some(&token), &format!("csrf={csrf}&name=x&channel=slack&destination={url}")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Events:"), "{page}");
    let private = format!("csrf={csrf}&name=x&channel=teams&destination=http%3A%2F%2F127.0.0.1%3A9%2Fhook&event=lead.quality");
    let (status, _, page) = app.post("/settings/alerts", Some(&token), &private).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("must be public"), "{page}");
    assert_eq!(app.svc.alert_rules().await.unwrap().len(), 1);

    // Only admins, and only with the form token.
    let (mtoken, mcsrf) = app.sign_in("manager").await;
    let email = "name=m&channel=email&destination=m%40example.com&event=lead.assigned";
    let (status, _, _) = app.post("/settings/alerts", Some(&mtoken), &format!("csrf={mcsrf}&{email}")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = app.post("/settings/alerts", Some(&token), email).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "no form token");
    assert_eq!(app.svc.alert_rules().await.unwrap().len(), 1);

    // Deleting: audited; a missing id is a 404.
    let id = rule.id.clone();
    let (status, _, _) = app.post("/settings/alerts/delete", Some(&mtoken), &format!("csrf={mcsrf}&id={id}")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = app.post("/settings/alerts/delete", Some(&token), &format!("csrf={csrf}&id={id}")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(app.svc.alert_rules().await.unwrap().is_empty());
    let (status, _, _) = app.post("/settings/alerts/delete", Some(&token), &format!("csrf={csrf}&id={id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let audit: Vec<String> = app.svc.audit_log(20).await.unwrap().into_iter().map(|a| a.action).collect();
    for action in ["alert.create", "alert.delete"] {
        assert!(audit.iter().any(|a| a == action), "{action} audited: {audit:?}");
    }
}

/// A scheduler that records the commands it is given (the web layer's view of the scheduled
/// sync; the scheduler itself is tested in leadrank-sync).
#[derive(Default)]
struct RecordingScheduler {
    commands: std::sync::Mutex<Vec<String>>,
    paused: std::sync::atomic::AtomicBool,
}

impl leadrank_service::sync_schedule::SyncScheduler for RecordingScheduler {
    fn sources(&self) -> Vec<leadrank_service::sync_schedule::SyncSourceStatus> {
        use leadrank_service::sync_schedule::{SyncRunSummary, SyncSourceStatus, SyncState};
        let paused = self.paused.load(std::sync::atomic::Ordering::SeqCst);
        vec![SyncSourceStatus {
            name: "hubspot".into(),
            file: "sync.toml".into(),
            interval_s: 900,
            state: if paused { SyncState::Paused } else { SyncState::Failed },
            paused,
            last_started: Some("2026-03-03T14:50:00Z".parse().unwrap()),
            last_ended: Some("2026-03-03T14:51:00Z".parse().unwrap()),
            last_result: Some(SyncRunSummary { read: 12, created: 2, updated: 3, calls: 7, ..SyncRunSummary::default() }),
            last_error: Some("HubSpot answered 401 <b>".into()),
            failures: 1,
            runs: 4,
            next_run: (!paused).then(|| "2026-03-03T15:05:00Z".parse().unwrap()),
        }]
    }

    fn run_now(&self, source: &str) -> Result<(), leadrank_service::ServiceError> {
        self.commands.lock().unwrap().push(format!("run {source}"));
        Ok(())
    }

    fn set_paused(&self, source: &str, paused: bool) -> Result<(), leadrank_service::ServiceError> {
        self.paused.store(paused, std::sync::atomic::Ordering::SeqCst);
        self.commands.lock().unwrap().push(format!("{} {source}", if paused { "pause" } else { "resume" }));
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_crm_sync_card_for_admins_and_revops() {
    let backend = Backend::Sqlite(tempfile::tempdir().unwrap());
    let app = app(&backend).await;
    let (admin, csrf) = app.sign_in("admin").await;
    let (_, _, page) = app.get("/settings", Some(&admin)).await;
    assert!(page.contains("CRM sync") && page.contains("No scheduled sync"), "without --sync-config the card says how");

    let scheduler = Arc::new(RecordingScheduler::default());
    app.svc.set_sync_scheduler(scheduler.clone());
    let (revops, revops_csrf) = app.sign_in("revops").await;
    let (status, _, page) = app.get("/settings", Some(&revops)).await;
    assert_eq!(status, StatusCode::OK, "RevOps see the CRM sync card");
    assert!(page.contains("hubspot") && page.contains("failed") && page.contains("12 read") && page.contains("in 5 min"), "{page}");
    assert!(page.contains("401 &lt;b&gt;"), "the error is escaped");
    assert!(!page.contains("Riley Rep"), "RevOps see only the card");

    // Commands need the form token, and are audited with the user.
    let (status, _, _) = app.post("/settings/sync", Some(&revops), "csrf=wrong&source=hubspot&action=run").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = app.post("/settings/sync", Some(&revops), &format!("csrf={revops_csrf}&source=hubspot&action=run")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, _) = app.post("/settings/sync", Some(&admin), &format!("csrf={csrf}&source=hubspot&action=pause")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, _, page) = app.get("/settings", Some(&admin)).await;
    assert!(page.contains("Resume") && page.contains("paused"), "paused sources offer Resume");
    let (status, _, _) = app.post("/settings/sync", Some(&admin), &format!("csrf={csrf}&source=salesforce&action=run")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(scheduler.commands.lock().unwrap().clone(), ["run hubspot", "pause hubspot"]);
    let audit = app.svc.audit_log(20).await.unwrap();
    assert!(audit.iter().any(|a| a.action == "sync.run" && a.actor == "user:revops"), "{audit:?}");
    assert!(audit.iter().any(|a| a.action == "sync.pause" && a.actor == "user:admin"), "{audit:?}");

    // Managers and reps may not.
    let (mgr, mgr_csrf) = app.sign_in("manager").await;
    let (status, _, _) = app.post("/settings/sync", Some(&mgr), &format!("csrf={mgr_csrf}&source=hubspot&action=run")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
