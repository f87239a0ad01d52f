//! The record store: push and pull, isolation between users, body and storage limits, the
//! end-to-end encryption as the server sees it, convergence of devices, two server instances on
//! one database, the per-user API rate limit.

use qoder_sync::crypto::{self, RecordMeta};
use qoder_sync::wire::Record;
use qoder_sync::{Client, Replica};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use serde_json::json;
use uuid::Uuid;

use crate::common::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn users_cannot_touch_each_others_data() {
    let s = TestServer::start().await;
    let (a, a_dev) = s.account("a@example.com").await;
    let (b, b_dev) = s.account("b@example.com").await;
    a.put_key(b"a's wrapped key").await.expect("a key");
    a.push(&[record(a_dev, "jobs", 0, b"secret of a")]).await.expect("a push");

    // B cannot read A's log, see it in status, or get A's key.
    assert!(b.pull(a_dev, "jobs", -1, 100).await.expect("b pull").records.is_empty());
    assert!(b.status().await.expect("b status").logs.is_empty());
    assert_eq!(b.get_key().await.expect("b key"), None);
    // B cannot write into A's device log, nor sign in as A's device.
    let err = b.push(&[record(a_dev, "jobs", 1, b"forged")]).await.expect_err("forbidden");
    assert_eq!((err.status(), err.code()), (Some(403), Some(qoder_domain::ErrorCode::Forbidden)));
    let err = s.client().login("b@example.com", PASSWORD, a_dev).await.expect_err("device taken");
    assert_eq!((err.status(), err.code()), (Some(403), Some(qoder_domain::ErrorCode::Forbidden)));
    // A still sees exactly its own record.
    let page = a.pull(a_dev, "jobs", -1, 100).await.expect("a pull");
    assert_eq!(page.records.len(), 1);
    assert_eq!(page.records[0].ciphertext, b"secret of a");
    assert!(a.pull(b_dev, "jobs", -1, 100).await.expect("a pulls b").records.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn push_is_idempotent_conflicts_are_409_and_pull_pages() {
    let s = TestServer::start().await;
    let (c, dev) = s.account("dan@example.com").await;
    let batch: Vec<Record> = (0..3).map(|i| record(dev, "jobs", i, &[i as u8 + 1; 40])).collect();
    let r = c.push(&batch).await.expect("push");
    assert_eq!((r.inserted, r.already_present), (3, 0));
    let r = c.push(&batch).await.expect("retried push");
    assert_eq!((r.inserted, r.already_present), (0, 3));
    // A retry that brings new records along, one of them twice: each stored once.
    let mut mixed = batch.clone();
    let fresh = record(dev, "jobs", 3, b"fresh");
    mixed.extend([fresh.clone(), fresh]);
    let r = c.push(&mixed).await.expect("mixed push");
    assert_eq!((r.inserted, r.already_present), (1, 4));
    sqlx::query("DELETE FROM records WHERE idx = 3").execute(&s.pool).await.expect("reset");

    // A different record at an existing index: 409, and the whole push is refused.
    let clash = vec![record(dev, "jobs", 3, b"new"), record(dev, "jobs", 1, b"different")];
    let err = c.push(&clash).await.expect_err("conflict");
    assert_eq!((err.status(), err.code()), (Some(409), Some(qoder_domain::ErrorCode::Conflict)));
    let rows: i64 =
        sqlx::query_scalar("SELECT count(*) FROM records").fetch_one(&s.pool).await.expect("n");
    assert_eq!(rows, 3);

    let more: Vec<Record> = (3..25).map(|i| record(dev, "jobs", i, b"x")).collect();
    c.push(&more).await.expect("push more");
    let status = c.status().await.expect("status");
    assert_eq!(status.logs.len(), 1);
    assert_eq!(status.logs[0].max_idx, 24);
    let (mut after, mut seen, mut pages) = (-1, Vec::new(), 0);
    loop {
        let page = c.pull(dev, "jobs", after, 10).await.expect("page");
        pages += 1;
        seen.extend(page.records.iter().map(|r| r.idx));
        after = page.records.last().map_or(after, |r| r.idx);
        if !page.more {
            break;
        }
    }
    assert_eq!(seen, (0..25).collect::<Vec<_>>());
    assert_eq!(pages, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_and_malformed_bodies_get_json_4xx() {
    let s = TestServer::start().await;
    let (c, dev) = s.account("eve@example.com").await;
    let token = format!("Bearer {}", c.access_token().expect("token"));
    let post = |body: String, content_type: &'static str| {
        s.http
            .post(s.url("/api/sync/records"))
            .header("authorization", token.clone())
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    let big =
        serde_json::to_string(&json!({"records": [record(dev, "jobs", 0, &vec![7u8; MAX_BODY])]}))
            .expect("json");
    let many: Vec<Record> = (0..1001).map(|i| record(dev, "jobs", i, b"x")).collect();
    let too_many = serde_json::to_string(&json!({ "records": many })).expect("json");
    let bad_collection =
        serde_json::to_string(&json!({"records": [record(dev, "Bad/Name", 0, b"x")]}))
            .expect("json");
    let cases: Vec<(&str, String, &str, u16)> = vec![
        ("oversized", big, "application/json", 413),
        ("malformed", "{\"records\": [".into(), "application/json", 400),
        ("not json", "hello".into(), "text/plain", 415),
        ("missing field", "{\"recs\": []}".into(), "application/json", 422),
        (
            "bad base64",
            format!(
                "{{\"records\":[{{\"id\":\"{}\",\"device_id\":\"{dev}\",\"collection\":\"jobs\",\"idx\":0,\"ts\":0,\"ciphertext\":\"%%%\"}}]}}",
                Uuid::now_v7()
            ),
            "application/json",
            422,
        ),
        ("too many records", too_many, "application/json", 422),
        ("bad collection", bad_collection, "application/json", 422),
    ];
    for (name, body, content_type, expected) in cases {
        let (status, code) = error_of(post(body, content_type).await.expect("send")).await;
        assert_eq!(status, expected, "{name}");
        let expected_code = if expected == 413 { "payload_too_large" } else { "validation" };
        assert_eq!(code, expected_code, "{name}");
    }
    // Too large on other endpoints too: the wrapped key and a register body, whether the size
    // shows in Content-Length or only while the body streams in (chunked).
    let huge = format!("{{\"blob\": \"{}\"}}", "A".repeat(MAX_BODY + 8));
    let r = s
        .http
        .put(s.url("/api/keys"))
        .header("authorization", token.clone())
        .header("content-type", "application/json")
        .body(huge.clone())
        .send()
        .await
        .expect("send");
    assert_eq!(error_of(r).await, (413, "payload_too_large".into()));
    let chunks: Vec<Result<String, std::io::Error>> =
        huge.as_bytes().chunks(8192).map(|c| Ok(String::from_utf8_lossy(c).into_owned())).collect();
    let r = s
        .http
        .post(s.url("/api/auth/register"))
        .header("content-type", "application/json")
        .body(reqwest::Body::wrap_stream(futures_util::stream::iter(chunks)))
        .send()
        .await
        .expect("send");
    assert_eq!(error_of(r).await, (413, "payload_too_large".into()));
    // Bad query and bad register bodies too.
    let r = s
        .http
        .get(s.url("/api/sync/records?device=x&collection=jobs&limit=abc"))
        .header("authorization", token.clone())
        .send()
        .await
        .expect("send");
    assert_eq!(error_of(r).await, (422, "validation".into()));
    let r = s
        .http
        .get(s.url(&format!("/api/sync/records?device={dev}&collection=jobs&limit=100000")))
        .header("authorization", token.clone())
        .send()
        .await
        .expect("send");
    assert_eq!(error_of(r).await, (422, "validation".into()));
    let r = s
        .http
        .post(s.url("/api/auth/register"))
        .json(
            &json!({"email": "no-at-sign", "secret": "x".repeat(64), "device_id": Uuid::now_v7()}),
        )
        .send()
        .await
        .expect("send");
    assert_eq!(error_of(r).await, (422, "validation".into()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_never_holds_the_plaintext() {
    let s = TestServer::start().await;
    let canary = format!("CANARY-{:016x}", rand::random::<u64>());
    let (laptop, laptop_dev) = s.account("fay@example.com").await;
    let user = laptop.user_id().expect("user");
    let key = laptop.data_key(PASSWORD).await.expect("data key");
    let mut replica = Replica::new(user, laptop_dev, "resumes", key, &["summary"]);
    replica
        .set("r1", fields(&[("summary", json!(format!("salary 150k {canary}")))]), 1_000)
        .expect("edit");
    replica.sync(&laptop).await.expect("sync");

    // A dump of every table, bytea as raw bytes and every row as text.
    let mut dump: Vec<u8> = Vec::new();
    laptop
        .create_recovery_code(&laptop.data_key(PASSWORD).await.expect("key"))
        .await
        .expect("code");
    for table in [
        "users",
        "devices",
        "refresh_tokens",
        "login_failures",
        "key_blobs",
        "recovery_blobs",
        "rate_limits",
        "records",
    ] {
        let rows: Vec<String> =
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT t::text FROM {table} t")))
                .fetch_all(&s.pool)
                .await
                .expect("dump");
        rows.iter().for_each(|r| dump.extend_from_slice(r.as_bytes()));
    }
    let blobs: Vec<Vec<u8>> = sqlx::query_scalar(
        "SELECT ciphertext FROM records UNION ALL SELECT blob FROM key_blobs
             UNION ALL SELECT blob FROM recovery_blobs",
    )
    .fetch_all(&s.pool)
    .await
    .expect("bytes");
    blobs.iter().for_each(|b| dump.extend_from_slice(b));
    let hex_canary = hex::encode(canary.as_bytes());
    for needle in [canary.as_bytes(), hex_canary.as_bytes(), b"salary", PASSWORD.as_bytes()] {
        assert!(
            !dump.windows(needle.len()).any(|w| w == needle),
            "found {:?}",
            String::from_utf8_lossy(needle)
        );
    }

    // A second device gets the key with the password alone and reads the canary back.
    let desktop = s.client();
    let desktop_dev = Uuid::now_v7();
    desktop.login("fay@example.com", PASSWORD, desktop_dev).await.expect("login");
    let key = desktop.data_key(PASSWORD).await.expect("unwrap key");
    let mut other = Replica::new(user, desktop_dev, "resumes", key, &["summary"]);
    other.sync(&desktop).await.expect("sync");
    let summary = other.view()["r1"]["summary"].as_str().map(str::to_string);
    assert_eq!(summary, Some(format!("salary 150k {canary}")));
    // The wrong password does not open the key.
    assert!(desktop.data_key("not the password").await.is_err());
    // A record moved to another index does not decrypt (metadata is bound).
    let stored = &laptop.pull(laptop_dev, "resumes", -1, 10).await.expect("pull").records[0];
    let key = laptop.data_key(PASSWORD).await.expect("key");
    let moved = RecordMeta { user_id: user, device_id: laptop_dev, collection: "resumes", idx: 1 };
    assert!(crypto::open(&key, moved, &stored.ciphertext).is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_devices_converge_despite_duplicates_reordering_and_lost_acks() {
    let s = TestServer::start().await;
    let seed = std::env::var("QODER_CONVERGE_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(rand::random::<u64>);
    eprintln!("convergence seed {seed} (QODER_CONVERGE_SEED to replay)");
    let mut rng = StdRng::seed_from_u64(seed);
    let (first, first_dev) = s.account("gus@example.com").await;
    let user = first.user_id().expect("user");
    let mut devices = vec![(first, first_dev)];
    for _ in 0..2 {
        let c = s.client();
        let dev = Uuid::now_v7();
        c.login("gus@example.com", PASSWORD, dev).await.expect("login");
        devices.push((c, dev));
    }
    let mut replicas = Vec::new();
    for (c, dev) in &devices {
        replicas.push(Replica::new(
            user,
            *dev,
            "jobs",
            c.data_key(PASSWORD).await.expect("key"),
            &["notes"],
        ));
    }
    let entities = ["job-1", "job-2", "job-3", "job-4"];
    let field_names = ["title", "company", "status", "notes"];
    let mut written = 0i64;
    let mut clock_ms = 1_700_000_000_000u64;
    for _round in 0..30 {
        let d = rng.gen_range(0..3);
        // A few local edits, with clocks that are sometimes behind.
        for _ in 0..rng.gen_range(1..4) {
            clock_ms += rng.gen_range(0..3);
            let skew = rng.gen_range(0..50);
            let entity = entities[rng.gen_range(0..entities.len())];
            if rng.gen_bool(0.15) {
                replicas[d].delete(entity, clock_ms - skew).expect("delete");
            } else {
                let f = field_names[rng.gen_range(0..field_names.len())];
                let v = json!(format!("{f}-{}", rng.gen_range(0..1000)));
                replicas[d].set(entity, fields(&[(f, v)]), clock_ms - skew).expect("set");
            }
            written += 1;
        }
        let client = &devices[d].0;
        let mut outbox = replicas[d].outbox().to_vec();
        match rng.gen_range(0..4) {
            // Normal sync.
            0 => replicas[d].sync(client).await.expect("sync"),
            // Pushed in a shuffled order, twice (a retry after a lost answer).
            1 => {
                outbox.shuffle(&mut rng);
                client.push(&outbox).await.expect("push");
                client.push(&outbox).await.expect("retried push");
                replicas[d].acknowledge(&outbox);
            }
            // Only the later half pushed first (a gap), acknowledged; the rest on a later sync.
            2 => {
                let later = outbox.split_off(outbox.len() / 2);
                client.push(&later).await.expect("push later half");
                replicas[d].acknowledge(&later);
            }
            // Pushed but the device "crashed" before recording the ack: it pushes again later.
            _ => {
                client.push(&outbox).await.expect("push without ack");
            }
        }
        // Another device pulls now and then.
        let other = rng.gen_range(0..3);
        if rng.gen_bool(0.5) {
            replicas[other].sync(&devices[other].0).await.expect("sync other");
        }
    }
    // Everyone syncs until quiet (two passes: pushes of the last device reach the first).
    for _ in 0..2 {
        for (r, (c, _)) in replicas.iter_mut().zip(&devices) {
            r.sync(c).await.expect("final sync");
        }
    }
    let views: Vec<_> = replicas.iter().map(Replica::view).collect();
    assert_eq!(views[0], views[1], "seed {seed}");
    assert_eq!(views[1], views[2], "seed {seed}");
    assert!(replicas.iter().all(|r| r.outbox().is_empty()));
    // Exactly one row per written record, none lost.
    let rows: i64 =
        sqlx::query_scalar("SELECT count(*) FROM records").fetch_one(&s.pool).await.expect("rows");
    assert_eq!(rows, written, "seed {seed}");
    let distinct: i64 =
        sqlx::query_scalar("SELECT count(DISTINCT (device_id, collection, idx)) FROM records")
            .fetch_one(&s.pool)
            .await
            .expect("distinct");
    assert_eq!(distinct, written);
    // A fresh device replaying everything reaches the same state.
    let late = s.client();
    let late_dev = Uuid::now_v7();
    late.login("gus@example.com", PASSWORD, late_dev).await.expect("login");
    let mut fresh = Replica::new(
        user,
        late_dev,
        "jobs",
        late.data_key(PASSWORD).await.expect("key"),
        &["notes"],
    );
    fresh.sync(&late).await.expect("sync");
    assert_eq!(fresh.view(), views[0], "seed {seed}");
    // Losing concurrent edits of `notes` are kept, the same on every device.
    let copies = replicas[0].conflicts();
    assert!(replicas.iter().all(|r| r.conflicts() == copies), "seed {seed}");
    assert_eq!(fresh.conflicts(), copies, "seed {seed}");
    eprintln!(
        "converged: {written} records from 3 devices, {} live entities, {} conflict copies",
        views[0].len(),
        copies.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_server_instances_share_accounts_records_and_login_limits() {
    let s = TestServer::start().await;
    let second = Server::start(&s.config).await;
    let other = &second.base;
    let (laptop, laptop_dev) = s.account("kim@example.com").await;
    let user = laptop.user_id().expect("user");
    let desktop = Client::new(other).expect("client");
    let desktop_dev = Uuid::now_v7();
    desktop.login("kim@example.com", PASSWORD, desktop_dev).await.expect("login on instance 2");

    let mut a =
        Replica::new(user, laptop_dev, "jobs", laptop.data_key(PASSWORD).await.expect("key"), &[]);
    let mut b = Replica::new(
        user,
        desktop_dev,
        "jobs",
        desktop.data_key(PASSWORD).await.expect("key"),
        &[],
    );
    a.set("j1", fields(&[("title", json!("Rust engineer"))]), 10).expect("edit");
    b.set("j1", fields(&[("status", json!("applied"))]), 11).expect("edit");
    for _ in 0..2 {
        a.sync(&laptop).await.expect("sync 1");
        b.sync(&desktop).await.expect("sync 2");
    }
    assert_eq!(a.view(), b.view());
    assert_eq!(a.view()["j1"].len(), 2);

    // A refresh token issued by one instance is rotated by the other, and reuse is caught there.
    let old = laptop.refresh_token().expect("token");
    laptop.refresh().await.expect("refresh on 1");
    let reuse = s
        .http
        .post(format!("{other}/api/auth/refresh"))
        .json(&json!({"refresh_token": old}))
        .send()
        .await
        .expect("reuse on 2");
    assert_eq!(reuse.status(), 401);

    // Failed logins counted on both instances lock the email on both.
    let bad = crypto::login_secret("kim@example.com", "wrong password").expect("secret");
    for base in [s.base.as_str(), other.as_str(), s.base.as_str()] {
        let r = s
            .http
            .post(format!("{base}/api/auth/login"))
            .json(&json!({"email": "kim@example.com", "secret": bad, "device_id": desktop_dev}))
            .send()
            .await
            .expect("login");
        assert_eq!(r.status(), 401);
    }
    let err = Client::new(other)
        .expect("client")
        .login("kim@example.com", PASSWORD, desktop_dev)
        .await
        .expect_err("locked");
    assert_eq!(err.status(), Some(429));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_rate_limit_is_per_user_and_shared_by_server_processes() {
    let s = TestServer::start_with(|c| c.api_rate_limit = 5).await;
    let second = Server::start(&s.config).await;
    let other = &second.base;
    let (a, _) = s.account("lea@example.com").await;
    let (b, _) = s.account("max@example.com").await;
    away_from_a_minute_boundary(&s.pool).await;
    for i in 0..3 {
        a.status().await.unwrap_or_else(|e| panic!("request {i}: {e}"));
    }
    // The other process counts against the same window.
    let a_token = a.access_token().expect("token");
    for _ in 0..2 {
        let r = s
            .http
            .get(format!("{other}/api/sync/status"))
            .bearer_auth(&a_token)
            .send()
            .await
            .expect("send");
        assert_eq!(r.status(), 200);
    }
    let r = s
        .http
        .get(format!("{other}/api/sync/status"))
        .bearer_auth(&a_token)
        .send()
        .await
        .expect("send");
    let wait = retry_after(&r);
    assert!((1..=60).contains(&wait), "Retry-After {wait}");
    assert_eq!(error_of(r).await, (429, "rate_limited".into()));
    // Through the client too, on the first process, and for every authenticated endpoint.
    let err = a.status().await.expect_err("limited");
    assert_eq!((err.status(), err.code()), (Some(429), Some(qoder_domain::ErrorCode::RateLimited)));
    assert_eq!(a.get_key().await.expect_err("limited").status(), Some(429));
    // Another user has a window of their own; unauthenticated endpoints are not counted.
    b.status().await.expect("b is not limited");
    s.http.get(s.url("/healthz")).send().await.expect("health").error_for_status().expect("200");
    // One row per user, in PostgreSQL.
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM rate_limits WHERE key LIKE 'u:%'")
        .fetch_one(&s.pool)
        .await
        .expect("rows");
    assert_eq!(rows, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn records_pages_and_accounts_have_byte_limits() {
    use qoder_sync::wire::{MAX_PULL_BYTES, MAX_RECORD_BYTES};
    let s = TestServer::start_with(|c| {
        c.max_body_bytes = 32 << 20;
        c.account_quota_bytes = 20 << 20;
    })
    .await;
    let (a, dev) = s.account("max@example.com").await;
    // One record over the cap: 413 with a message that says so.
    let r = s
        .http
        .post(s.url("/api/sync/records"))
        .bearer_auth(a.access_token().expect("token"))
        .json(&json!({"records": [record(dev, "jobs", 0, &vec![7; MAX_RECORD_BYTES + 1])]}))
        .send()
        .await
        .expect("send");
    assert_eq!(error_of(r).await, (413, "payload_too_large".into()));
    // 12 records of 1 MiB: a pull page stops at about MAX_PULL_BYTES and says there is more.
    let big: Vec<Record> =
        (0..12).map(|i| record(dev, "jobs", i, &vec![i as u8; MAX_RECORD_BYTES])).collect();
    a.push(&big).await.expect("push 12 MiB");
    let page = a.pull(dev, "jobs", -1, 1000).await.expect("pull");
    let bytes: usize = page.records.iter().map(|r| r.ciphertext.len()).sum();
    assert!(page.more, "cut by size");
    assert!(bytes as i64 <= MAX_PULL_BYTES + MAX_RECORD_BYTES as i64, "{bytes}");
    assert_eq!(page.records.len(), 8);
    let rest =
        a.pull(dev, "jobs", page.records.last().expect("last").idx, 1000).await.expect("pull");
    assert_eq!((rest.records.len(), rest.more), (4, false));
    // The quota (20 MiB): the next 9 MiB do not fit; the push is refused whole, clearly.
    let more: Vec<Record> =
        (12..21).map(|i| record(dev, "jobs", i, &vec![1; MAX_RECORD_BYTES])).collect();
    let err = a.push(&more).await.expect_err("over quota");
    assert_eq!(err.status(), Some(413));
    assert!(err.to_string().contains("storage is full"), "{err}");
    let n: i64 =
        sqlx::query_scalar("SELECT count(*) FROM records").fetch_one(&s.pool).await.expect("n");
    assert_eq!(n, 12, "nothing of the refused push was stored");
    a.push(&more[..4]).await.expect("what fits is taken");
}
