//! The Import screen in process on demo data (SQLite): a RevOps user uploads a HubSpot
//! export through the multipart form and sees the counts and the rejected rows (escaped);
//! reps and managers are refused; a form without its token imports nothing.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use leadrank_service::clock::{ManualClock, ReplayClock};
use leadrank_service::demo;
use leadrank_service::metrics::Metrics;
use leadrank_service::service::Service;
use leadrank_testkit::Backend;
use tower::ServiceExt;

const HUBSPOT_CONTACTS: &str = include_str!("../../leadrank-cli/tests/fixtures/crm/hubspot-contacts.csv");
const BOUNDARY: &str = "leadrank-web-import";

struct App {
    svc: Arc<Service>,
    router: Router,
    users: Vec<demo::DemoUser>,
}

impl App {
    async fn start(backend: &Backend) -> App {
        let clock = Arc::new(ReplayClock::over(Arc::new(ManualClock::new("2026-07-01T15:00:00Z".parse().unwrap()))));
        let svc = Service::start(backend.open().await, clock.clone(), Arc::new(Metrics::new())).await.unwrap();
        demo::load(&svc, &clock, 40, 7).await.unwrap();
        let users = demo::create_users(&svc).await.unwrap();
        App { router: leadrank_web::router(svc.clone(), None), svc, users }
    }

    async fn send(&self, req: Request<Body>) -> (StatusCode, String) {
        let resp = self.router.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let body = axum::body::to_bytes(resp.into_body(), 4 << 20).await.unwrap();
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    /// Signs in; returns the session cookie and the form token (from the Import screen, or
    /// the Team screen for those without one).
    async fn sign_in(&self, username: &str) -> (String, String) {
        let password = &self.users.iter().find(|u| u.username == username).unwrap().password;
        let req = Request::post("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!("username={username}&password={password}")))
            .unwrap();
        let resp = self.router.clone().oneshot(req).await.unwrap();
        assert_eq!(resp.status(), StatusCode::SEE_OTHER, "{username} signs in");
        let cookie = resp.headers()[header::SET_COOKIE].to_str().unwrap().split(';').next().unwrap().to_string();
        let (_, page) = self.send(Request::get("/team").header(header::COOKIE, &cookie).body(Body::empty()).unwrap()).await;
        let at = page.find("name=\"csrf\" value=\"").expect("a form token") + 19;
        (cookie, page[at..at + 32].to_string())
    }

    async fn post_form(&self, cookie: &str, parts: &[(&str, Option<&str>, &str)]) -> (StatusCode, String) {
        let mut body = String::new();
        for (name, file_name, content) in parts {
            body.push_str(&format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\""));
            if let Some(f) = file_name {
                body.push_str(&format!("; filename=\"{f}\"\r\nContent-Type: text/csv"));
            }
            body.push_str(&format!("\r\n\r\n{content}\r\n"));
        }
        body.push_str(&format!("--{BOUNDARY}--\r\n"));
        let req = Request::post("/import")
            .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={BOUNDARY}"))
            .header(header::COOKIE, cookie)
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revops_imports_a_crm_export_and_sees_every_rejected_field() {
    let backend = Backend::Sqlite(tempfile::tempdir().unwrap());
    let app = App::start(&backend).await;
    let (cookie, csrf) = app.sign_in("revops").await;
    let (status, page) = app.send(Request::get("/import").header(header::COOKIE, &cookie).body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("enctype=\"multipart/form-data\"") && page.contains("<option value=\"hubspot-contacts\""), "{page}");
    assert!(page.contains("href=\"/import\" aria-current=\"page\""), "the nav marks the screen");

    let header_line = HUBSPOT_CONTACTS.lines().next().unwrap();
    let hostile = format!("{HUBSPOT_CONTACTS}90,Eve,,eve@x.example,,,,,,<script>alert(1)</script>,,,,lots,,,,,,\n");
    assert!(hostile.starts_with(header_line));
    let parts = [
        ("csrf", None, csrf.as_str()),
        ("file", Some("contacts.csv"), hostile.as_str()),
        ("kind", None, "leads"),
        ("mapping", None, "hubspot-contacts"),
        ("delimiter", None, "auto"),
        ("custom_mapping", None, ""),
    ];
    let (status, page) = app.post_form(&cookie, &parts).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(
        page.contains("6 rows read as leads through the mapping hubspot-contacts: 5 created, 0 updated, 0 unchanged, 1 rejected."),
        "{page}"
    );
    assert!(page.contains("Create Date (created_at)") && page.contains("Number of Employees (employees)"), "{page}");
    assert!(!page.contains("<script>alert(1)"), "rejected values are escaped");
    assert!(app.svc.lead_record("51").is_some());

    // A bad mapping name: the form again, saying which mappings there are.
    let parts = [
        ("csrf", None, csrf.as_str()),
        ("file", Some("contacts.csv"), HUBSPOT_CONTACTS),
        ("kind", None, "leads"),
        ("mapping", None, "hubspot"),
    ];
    let (status, page) = app.post_form(&cookie, &parts).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("role=\"alert\"") && page.contains("hubspot-contacts, salesforce-leads"), "{page}");
    app.svc.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reps_managers_and_forms_without_their_token_are_refused() {
    let backend = Backend::Sqlite(tempfile::tempdir().unwrap());
    let app = App::start(&backend).await;
    for user in ["rep", "manager"] {
        let (cookie, csrf) = app.sign_in(user).await;
        let (status, _) = app.send(Request::get("/import").header(header::COOKIE, &cookie).body(Body::empty()).unwrap()).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{user}");
        let parts = [
            ("csrf", None, csrf.as_str()),
            ("file", Some("c.csv"), HUBSPOT_CONTACTS),
            ("kind", None, "leads"),
            ("mapping", None, "hubspot-contacts"),
        ];
        let (status, _) = app.post_form(&cookie, &parts).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{user}");
    }
    let (cookie, _) = app.sign_in("admin").await;
    let parts = [("file", Some("c.csv"), HUBSPOT_CONTACTS), ("kind", None, "leads"), ("mapping", None, "hubspot-contacts")];
    let (status, page) = app.post_form(&cookie, &parts).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{page}");
    assert!(page.contains("security token"), "{page}");
    let parts = [("csrf", None, "0123456789abcdef0123456789abcdef"), ("file", Some("c.csv"), HUBSPOT_CONTACTS), ("kind", None, "leads")];
    let (status, _) = app.post_form(&cookie, &parts).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(app.svc.lead_record("51").is_none(), "nothing was imported");
    assert!(app.svc.audit_log(50).await.unwrap().iter().all(|e| e.action != "import"));
    app.svc.shutdown().await;
}
