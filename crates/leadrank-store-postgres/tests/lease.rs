//! Partition leases and fencing on a real PostgreSQL server (see
//! [`leadrank_store_postgres::lease`]): one owner at a time, expiry by the database's clock,
//! a token raised at every takeover, and no write of a former owner after a takeover.

use std::time::{Duration, Instant};

use leadrank_store::{AuditEntry, Store, StoreError};
use leadrank_store_postgres::lease::Fence;
use leadrank_store_postgres::{PostgresStore, VaultMode, test_server};
use sqlx::Connection;

fn entry(detail: &str) -> AuditEntry {
    AuditEntry {
        at: jiff::Timestamp::from_second(1_700_000_000).unwrap(),
        actor: "test".into(),
        action: "lease".into(),
        detail: detail.into(),
    }
}

/// Two stores (two nodes) on one fresh schema; `f` gets them; the schema is dropped after.
async fn two_nodes<F, Fut>(tag: &str, f: F)
where
    F: FnOnce(PostgresStore, PostgresStore, String) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let Some(mut admin) = test_server::connect("the lease tests").await else { return };
    let schema = test_server::schema_name(tag);
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA \"{schema}\""))).execute(&mut admin).await.expect("create schema");
    let vault = tempfile::tempdir().unwrap();
    let path = vault.path().join("keys.vault");
    let a = PostgresStore::connect_with(test_server::options_in(&schema), 4, &path, VaultMode::CreateIfMissing).await.expect("connect a");
    a.migrate_and_report().await.expect("migrate");
    let b = PostgresStore::connect_with(test_server::options_in(&schema), 4, &path, VaultMode::CreateIfMissing).await.expect("connect b");
    b.migrate_and_report().await.expect("migrate");
    let outcome = tokio::spawn({
        let (a, b, schema) = (a.clone(), b.clone(), schema.clone());
        async move { f(a, b, schema).await }
    });
    let result = outcome.await;
    a.close().await;
    b.close().await;
    sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA \"{schema}\" CASCADE"))).execute(&mut admin).await.expect("drop schema");
    if let Err(e) = result {
        std::panic::resume_unwind(e.into_panic());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_former_owner_cannot_write_after_a_takeover() {
    two_nodes("lease_fence", |a, b, _| async move {
        let ttl = Duration::from_millis(800);
        let token_a = a.try_acquire(0, "a", ttl).await.unwrap().expect("a takes the free partition");
        assert_eq!(token_a, 1);
        assert_eq!(b.try_acquire(0, "b", ttl).await.unwrap(), None, "b cannot take a lease that has not expired");
        assert!(a.renew(0, token_a, ttl).await.unwrap());
        a.fence_writes(Fence { partition: 0, token: token_a }).unwrap();
        a.audit(&entry("a while owner")).await.expect("the owner writes");

        // a stops renewing (paused, cut off): its lease expires and b takes over.
        tokio::time::sleep(ttl + Duration::from_millis(300)).await;
        let token_b = b.try_acquire(0, "b", ttl).await.unwrap().expect("b takes the expired partition");
        assert_eq!(token_b, token_a + 1, "every takeover raises the token");
        b.fence_writes(Fence { partition: 0, token: token_b }).unwrap();

        // a wakes up: every kind of write is refused, and its renewal fails.
        match a.audit(&entry("a after takeover")).await {
            Err(StoreError::Fenced { partition: 0, token }) => assert_eq!(token, token_a),
            other => panic!("a former owner's write must be fenced, got {other:?}"),
        }
        assert!(matches!(a.add_model("m", "1", "x", jiff::Timestamp::UNIX_EPOCH).await, Err(StoreError::Fenced { .. })));
        assert!(matches!(a.upsert_leads(&[], jiff::Timestamp::UNIX_EPOCH).await, Err(StoreError::Fenced { .. }) | Ok(())));
        assert!(!a.renew(0, token_a, ttl).await.unwrap(), "a cannot renew a lease it lost");
        b.audit(&entry("b as owner")).await.expect("the new owner writes");

        let log: Vec<String> = b.audit_log(10).await.unwrap().into_iter().map(|e| e.detail).collect();
        assert!(log.contains(&"a while owner".to_string()));
        assert!(log.contains(&"b as owner".to_string()));
        assert!(!log.contains(&"a after takeover".to_string()), "nothing of the former owner after the takeover: {log:?}");

        let leases = b.leases().await.unwrap();
        assert_eq!(leases.len(), 1);
        assert_eq!((leases[0].owner.as_str(), leases[0].token, leases[0].expired), ("b", token_b, false));

        // A clean stop lets the lease go at once.
        b.release(0, token_b).await.unwrap();
        assert_eq!(a.try_acquire(0, "a2", ttl).await.unwrap(), Some(token_b + 1));
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_takeover_waits_for_the_writes_in_flight() {
    two_nodes("lease_wait", |a, b, schema| async move {
        let ttl = Duration::from_millis(500);
        let token_a = a.try_acquire(0, "a", ttl).await.unwrap().unwrap();
        tokio::time::sleep(ttl + Duration::from_millis(200)).await;
        // A write of a's still open: it holds the lease row for share, as a fenced write does.
        let mut conn = sqlx::PgConnection::connect_with(&test_server::options_in(&schema)).await.unwrap();
        let mut tx = conn.begin().await.unwrap();
        let held: i64 =
            sqlx::query_scalar("SELECT token FROM cluster_leases WHERE partition = 0 FOR SHARE").fetch_one(&mut *tx).await.unwrap();
        assert_eq!(held, token_a);
        let started = Instant::now();
        assert_eq!(b.try_acquire(0, "b", ttl).await.unwrap(), None, "the takeover waits, then gives up for now");
        assert!(started.elapsed() >= Duration::from_millis(1500), "it waited for the lock: {:?}", started.elapsed());
        tx.commit().await.unwrap();
        assert_eq!(b.try_acquire(0, "b", ttl).await.unwrap(), Some(token_a + 1), "taken once the write ended");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_reads_every_row_another_node_sealed_after_it_opened_the_vault() {
    two_nodes("lease_keys", |a, b, _| async move {
        // b opened the vault before a made these leads' keys (a standby, then owner).
        let at = jiff::Timestamp::from_second(1_700_000_000).unwrap();
        let ops: Vec<leadrank_store::LeadOps> =
            (1..=3).map(|i| leadrank_store::LeadOps { lead_id: format!("L{i}"), body: format!("{{\"n\":{i}}}"), updated_at: at }).collect();
        a.save_ops(&ops, &[]).await.unwrap();
        let read = b.all_ops().await.expect("every row opens with keys looked up in the file at once");
        assert_eq!(read, ops);
    })
    .await;
}
