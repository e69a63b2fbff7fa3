//! Single sign-on against a real OpenID Provider: the certified `oidc-provider` package from
//! npm (`tests/oidc/provider.mjs`), started on a local port, signed in to through its own
//! development pages. Needs Node.js and `npm ci` in `tests/oidc`; without them the test says
//! so and passes, except under `CI`, where it fails.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;

use leadrank_service::clock::ManualClock;
use leadrank_service::metrics::Metrics;
use leadrank_service::service::Service;
use leadrank_service::users::{NewUser, Role};
use leadrank_testkit::Backend;
use leadrank_web::sso::{Sso, SsoConfig};

struct Provider(Child);

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Starts the provider; `None` (with the reason printed) when Node or its packages are missing.
fn start_provider(port: u16, redirect: &str) -> Option<Provider> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/oidc");
    let missing = if !dir.join("node_modules/oidc-provider").exists() {
        Some(format!("run `npm ci` in {}", dir.display()))
    } else if Command::new("node").arg("--version").output().is_err() {
        Some("Node.js is not installed".to_string())
    } else {
        None
    };
    if let Some(why) = missing {
        assert!(std::env::var_os("CI").is_none(), "the single sign-on test needs its OpenID Provider under CI: {why}");
        eprintln!("NOTICE: single sign-on test skipped: {why}");
        return None;
    }
    let mut child = Command::new("node")
        .arg(dir.join("provider.mjs"))
        .args([&port.to_string(), "leadrank", "test-client-secret", redirect])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("node starts");
    let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    std::io::BufRead::read_line(&mut out, &mut line).unwrap();
    assert!(line.starts_with("ready "), "provider said: {line}");
    // Keep reading what it prints, so that its writes never meet a closed pipe.
    std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
    Some(Provider(child))
}

/// The action of the page's form (the provider's development pages use absolute URLs).
fn form_action(page: &str) -> String {
    let at = page.find("action=\"").expect("a form on the provider's page") + 8;
    page[at..].split('"').next().unwrap().to_string()
}

/// Follows one sign-in through the provider's pages as `login` (sign-in, then consent
/// when asked); the final status, URL and page.
async fn sign_in(client: &reqwest::Client, app: &str, login: &str) -> (u16, String, String) {
    let page = client.get(format!("{app}/login/sso")).send().await.unwrap().text().await.unwrap();
    let resp =
        client.post(form_action(&page)).form(&[("prompt", "login"), ("login", login), ("password", "any password")]).send().await.unwrap();
    let mut last = (resp.status().as_u16(), resp.url().to_string(), resp.text().await.unwrap());
    if last.2.contains("name=\"prompt\" value=\"consent\"") {
        let resp = client.post(form_action(&last.2)).form(&[("prompt", "consent")]).send().await.unwrap();
        last = (resp.status().as_u16(), resp.url().to_string(), resp.text().await.unwrap());
    }
    // Signed in: a page of the app moves on to the home screen.
    if let Some(at) = last.2.find("content=\"0;url=") {
        let home = last.2[at + 15..].split('"').next().unwrap().to_string();
        let resp = client.get(format!("{app}{home}")).send().await.unwrap();
        last = (resp.status().as_u16(), resp.url().to_string(), resp.text().await.unwrap());
    }
    last
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn single_sign_on_with_a_real_openid_provider() {
    let app_addr: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().unwrap();
    let app = format!("http://{app_addr}");
    let idp_port = free_port();
    let redirect = format!("{app}/login/sso/callback");
    let Some(_provider) = start_provider(idp_port, &redirect) else { return };

    let backend = Backend::Sqlite(tempfile::tempdir().unwrap());
    let clock = Arc::new(ManualClock::new(jiff::Timestamp::now()));
    let svc = Service::start(backend.open().await, clock, Arc::new(Metrics::new())).await.unwrap();
    let config = SsoConfig {
        issuer: format!("http://127.0.0.1:{idp_port}"),
        client_id: "leadrank".into(),
        client_secret: "test-client-secret".into(),
        redirect_url: redirect.clone(),
        role_claim: "leadrank_role".into(),
        username_claim: "preferred_username".into(),
    };
    // A wrong secret is caught at the token exchange; a dead issuer at start.
    let dead = Sso::discover(SsoConfig { issuer: format!("http://127.0.0.1:{}", free_port()), ..config.clone() }).await;
    assert!(dead.err().unwrap().to_string().contains("cannot be used"));
    let sso = Arc::new(Sso::discover(config).await.unwrap());
    let router: axum::Router = leadrank_web::router(svc.clone(), Some(sso));
    let listener = tokio::net::TcpListener::bind(app_addr).await.unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });

    let browser = || reqwest::Client::builder().cookie_store(true).build().unwrap();
    // The sign-in page offers single sign-on.
    assert!(browser().get(format!("{app}/login")).send().await.unwrap().text().await.unwrap().contains("/login/sso"));

    // A RevOps person from the provider: made on first sign-in, lands on their home.
    let b = browser();
    let (status, url, page) = sign_in(&b, &app, "revops.dana").await;
    assert_eq!((status, url.as_str()), (200, format!("{app}/quality").as_str()), "{page}");
    assert!(page.contains("Lead quality") && page.contains("SSO revops.dana"), "{page}");
    let u = svc.users().await.unwrap().into_iter().find(|u| u.username == "revops.dana").expect("made on first sign-in");
    assert_eq!(u.role, Role::Revops);

    // A rep must be made by an admin first (the record holds their rep).
    let (status, _, page) = sign_in(&browser(), &app, "rep.sam").await;
    assert_eq!(status, 403, "{page}");
    assert!(page.contains("created first by an admin"), "{page}");
    // No role claim: refused.
    let (status, _, page) = sign_in(&browser(), &app, "nobody").await;
    assert_eq!(status, 403);
    assert!(page.contains("no role"), "{page}");
    // An existing user takes the provider's role when it fits: revops to admin.
    let new = NewUser { username: "admin.kim".into(), name: "Kim".into(), role: Role::Revops, rep: None, teams: vec![] };
    svc.create_user(new, "a long enough password", "test").await.unwrap();
    let (status, url, _) = sign_in(&browser(), &app, "admin.kim").await;
    assert_eq!((status, url), (200, format!("{app}/settings")));
    // A disabled user is refused.
    svc.set_user_disabled("admin.kim", true, "test").await.unwrap();
    let (status, _, page) = sign_in(&browser(), &app, "admin.kim").await;
    assert_eq!(status, 403, "{page}");
    // A forged or replayed answer: the state is not this browser's, or unknown.
    let resp = browser().get(format!("{app}/login/sso/callback?code=abc&state=forged")).send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 403);
    assert!(resp.text().await.unwrap().contains("not started in this browser"));
    let req = reqwest::Client::new().get(format!("{app}/login/sso/callback?code=abc&state=forged")).header("cookie", "lr_sso_state=forged");
    let resp = req.send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 403);
    assert!(resp.text().await.unwrap().contains("unknown or expired"));
    // Login CSRF: an attacker's finished sign-in (code and state) sent to someone else's
    // browser is refused there.
    let stop_at_callback =
        reqwest::redirect::Policy::custom(
            |attempt| {
                if attempt.url().path() == "/login/sso/callback" { attempt.stop() } else { attempt.follow() }
            },
        );
    let attacker = reqwest::Client::builder().redirect(stop_at_callback).cookie_store(true).build().unwrap();
    let page = attacker.get(format!("{app}/login/sso")).send().await.unwrap().text().await.unwrap();
    let resp =
        attacker.post(form_action(&page)).form(&[("prompt", "login"), ("login", "revops.eve"), ("password", "x")]).send().await.unwrap();
    let mut resp = resp;
    let page = resp.text().await.unwrap_or_default();
    if page.contains("value=\"consent\"") {
        resp = attacker.post(form_action(&page)).form(&[("prompt", "consent")]).send().await.unwrap();
    } else {
        panic!("expected the consent page: {page}");
    }
    let callback = resp.headers()["location"].to_str().unwrap().to_string();
    assert!(callback.starts_with(&format!("{app}/login/sso/callback?code=")), "{callback}");
    let victim = browser().get(&callback).send().await.unwrap();
    assert_eq!(victim.status().as_u16(), 403);
    assert!(victim.text().await.unwrap().contains("not started in this browser"));
}
