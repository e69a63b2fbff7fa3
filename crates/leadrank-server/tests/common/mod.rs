//! The in-process server over real TCP that the HTTP tests share.

#![allow(dead_code)]

use std::sync::Arc;
use std::time::Duration;

use axum::http::HeaderMap;
use jiff::Timestamp;
use leadrank_server::{Limits, ServeOptions};
use leadrank_service::keys;
use leadrank_store::{Scope, Store};
use leadrank_store_sqlite::SqliteStore;
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;

pub struct Server {
    pub base: String,
    pub client: reqwest::Client,
    pub admin: String,
    pub stop: CancellationToken,
    pub store: Arc<dyn Store>,
    _dir: tempfile::TempDir,
}

impl Server {
    /// A server whose webhooks may target loopback (the tests' receivers).
    pub async fn start() -> Server {
        Self::start_with(true).await
    }

    /// A server; `allow_private_webhooks` as `leadrank serve --allow-private-webhooks`.
    pub async fn start_with(allow_private_webhooks: bool) -> Server {
        Self::start_limited(allow_private_webhooks, Limits::default()).await
    }

    /// A server with these limits.
    pub async fn start_limited(allow_private_webhooks: bool, limits: Limits) -> Server {
        Self::start_full(allow_private_webhooks, limits, Default::default()).await
    }

    /// A server whose webhooks may target loopback, with these alert settings.
    pub async fn start_alerts(alerts: leadrank_service::alerts::AlertsConfig) -> Server {
        Self::start_full(true, Limits::default(), alerts).await
    }

    /// A server with these limits and alert settings.
    pub async fn start_full(allow_private_webhooks: bool, limits: Limits, alerts: leadrank_service::alerts::AlertsConfig) -> Server {
        Self::start_synced(allow_private_webhooks, limits, alerts, Vec::new()).await
    }

    /// A server that runs these CRM sync sources on their schedule (`--sync-config`).
    pub async fn start_synced(
        allow_private_webhooks: bool,
        limits: Limits,
        alerts: leadrank_service::alerts::AlertsConfig,
        sync: Vec<Arc<leadrank_sync::schedule::Source>>,
    ) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&dir.path().join("api.db")).await.unwrap());
        store.migrate().await.unwrap();
        let (_, admin) = keys::create(store.as_ref(), "admin", &[Scope::Admin], Timestamp::now()).await.unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let stop = CancellationToken::new();
        let options = ServeOptions {
            addr: listener.local_addr().unwrap(),
            limits,
            webhooks: true,
            demo_leads: None,
            allow_private_webhooks,
            sso: None,
            alerts,
            segment_mapping: None,
            sync,
        };
        let (s, st) = (store.clone(), stop.clone());
        tokio::spawn(async move { leadrank_server::serve_on(listener, s, options, st, |_| {}).await.unwrap() });
        let client = reqwest::Client::new();
        for _ in 0..100 {
            if client.get(format!("{base}/healthz")).send().await.is_ok() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        Server { base, client, admin, stop, store, _dir: dir }
    }

    /// Polls `GET /v1/sync` (every 20 ms, at most 60 s) until the first source's status
    /// satisfies `what`; returns that status.
    pub async fn sync_status_until(&self, key: &str, what: impl Fn(&Value) -> bool) -> Value {
        let mut last = Value::Null;
        for _ in 0..3000 {
            let (s, _, v) = self.call("GET", "/v1/sync", Some(key), None).await;
            assert_eq!(s, 200, "{v}");
            if what(&v["items"][0]) {
                return v["items"][0].clone();
            }
            last = v;
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("the sync source never reached the state asked for; last status: {last}");
    }

    pub async fn call(&self, method: &str, path: &str, key: Option<&str>, body: Option<Value>) -> (u16, HeaderMap, Value) {
        let url = format!("{}{path}", self.base);
        let mut req = match method {
            "GET" => self.client.get(url),
            "POST" => self.client.post(url),
            "DELETE" => self.client.delete(url),
            "PUT" => self.client.put(url),
            _ => unreachable!(),
        };
        if let Some(k) = key {
            req = req.header("authorization", format!("Bearer {k}"));
        }
        if let Some(b) = body {
            req = req.header("content-type", "application/json").body(serde_json::to_vec(&b).unwrap());
        }
        let resp = req.send().await.unwrap();
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let bytes = resp.bytes().await.unwrap();
        (status, headers, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
    }

    pub async fn key(&self, scopes: &[&str]) -> String {
        let (s, _, v) = self.call("POST", "/v1/keys", Some(&self.admin), Some(json!({"name": "t", "scopes": scopes}))).await;
        assert_eq!(s, 201, "{v}");
        v["key"].as_str().unwrap().to_string()
    }
}

impl Server {
    /// The SQLite file of the server.
    pub fn db_path(&self) -> std::path::PathBuf {
        self._dir.path().join("api.db")
    }

    /// The address of the server (`host:port`).
    pub fn addr(&self) -> &str {
        self.base.trim_start_matches("http://")
    }

    /// A request with a raw body and the given content type (none when `None`).
    pub async fn send_typed(&self, method: &str, path: &str, key: &str, content_type: Option<&str>, body: &str) -> (u16, HeaderMap, Value) {
        let url = format!("{}{path}", self.base);
        let mut req = match method {
            "PUT" => self.client.put(url),
            _ => self.client.post(url),
        };
        req = req.header("authorization", format!("Bearer {key}")).body(body.to_string());
        if let Some(t) = content_type {
            req = req.header("content-type", t);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let bytes = resp.bytes().await.unwrap();
        (status, headers, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
    }

    /// A request with a raw text body (e.g. a TOML file).
    pub async fn send_text(&self, method: &str, path: &str, key: &str, body: &str) -> (u16, Value) {
        let url = format!("{}{path}", self.base);
        let req = match method {
            "PUT" => self.client.put(url),
            _ => self.client.post(url),
        };
        let resp = req.header("authorization", format!("Bearer {key}")).body(body.to_string()).send().await.unwrap();
        let status = resp.status().as_u16();
        let bytes = resp.bytes().await.unwrap();
        (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
    }
}
