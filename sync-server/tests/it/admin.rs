//! The admin console: totals and accounts without content, roles.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use qoder_server::auth::Claims;
use serde_json::Value;
use uuid::Uuid;

use crate::common::*;

/// The claims of an access token, read without checking it (the test only looks).
fn claims_of(token: &str) -> Value {
    let payload = token.split('.').nth(1).expect("a JWT");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("base64")).expect("json")
}

/// Runs `qoder-server admin ...` against the test database; its exit status and output.
fn admin_command(s: &TestServer, args: &[&str]) -> (bool, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_qoder-server"))
        .arg("admin")
        .args(args)
        .env("QODER_DATABASE_URL", s.config.database_url.expose())
        .env_remove("QODER_JWT_SECRET")
        .env("QODER_LOG", "warn")
        .output()
        .expect("run qoder-server");
    let text =
        format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_see_totals_and_accounts_but_never_content_and_demotion_is_immediate() {
    let s = TestServer::start_with(|c| c.admin_emails = vec!["Root@Example.com".into()]).await;
    let (root, _) = s.account("root@example.com").await;
    // Registering with a listed email proves nothing about owning the address: a plain user.
    assert_eq!(claims_of(&root.access_token().expect("token"))["role"], "user");
    let relog = s.client();
    relog.login("root@example.com", PASSWORD, Uuid::now_v7()).await.expect("login");
    assert_eq!(claims_of(&relog.access_token().expect("token"))["role"], "user");
    // The list applies to accounts that exist when the server starts.
    qoder_server::AppState::new(s.config.clone(), s.pool.clone()).await.expect("restart");
    root.refresh().await.expect("refresh");
    assert_eq!(claims_of(&root.access_token().expect("token"))["role"], "admin");
    let (sam, sam_dev) = s.account("sam@example.com").await;
    let (tia, tia_dev) = s.account("tia@example.com").await;
    assert_eq!(claims_of(&sam.access_token().expect("token"))["role"], "user");
    sam.put_key(b"sam's wrapped key").await.expect("key");
    sam.push(&[record(sam_dev, "jobs", 0, &[1; 100]), record(sam_dev, "jobs", 1, &[2; 50])])
        .await
        .expect("push");
    tia.push(&[record(tia_dev, "resumes", 0, &[3; 30])]).await.expect("push");

    // A plain user: 403 forbidden on both admin endpoints.
    for err in [
        sam.admin_stats().await.expect_err("not an admin"),
        sam.admin_users(None, 10).await.map(|_| ()).expect_err("not an admin"),
    ] {
        assert_eq!(
            (err.status(), err.code()),
            (Some(403), Some(qoder_domain::ErrorCode::Forbidden))
        );
    }

    let stats = root.admin_stats().await.expect("stats");
    assert_eq!(
        stats,
        qoder_sync::wire::AdminStats {
            users: 3,
            admins: 1,
            devices: 4,
            records: 3,
            ciphertext_bytes: 180
        }
    );
    // Paged in id order (registration order: ids are UUIDv7).
    let first = root.admin_users(None, 2).await.expect("page 1");
    assert_eq!(first.users.len(), 2);
    let second = root.admin_users(first.next, 2).await.expect("page 2");
    assert_eq!((second.users.len(), second.next), (1, None));
    let all: Vec<_> = first.users.iter().chain(&second.users).collect();
    let emails: Vec<&str> = all.iter().map(|u| u.email.as_str()).collect();
    assert_eq!(emails, ["root@example.com", "sam@example.com", "tia@example.com"]);
    let sam_row = all[1];
    assert_eq!((sam_row.role.as_str(), sam_row.devices), ("user", 1));
    assert_eq!((sam_row.records, sam_row.ciphertext_bytes), (2, 150));
    assert!(sam_row.last_push.is_some() && all[0].last_push.is_none());
    assert!(root.admin_users(None, 0).await.is_err(), "limit 0 is refused");
    // The raw answer has exactly these fields: no ciphertext, keys or hashes.
    let raw: Value = s
        .http
        .get(s.url("/api/admin/users?limit=10"))
        .bearer_auth(root.access_token().expect("token"))
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    let mut keys: Vec<&str> =
        raw["users"][1].as_object().expect("row").keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "ciphertext_bytes",
            "created_at",
            "devices",
            "disabled_at",
            "email",
            "id",
            "last_push",
            "last_seen",
            "plan",
            "records",
            "role"
        ]
    );
    let text = raw.to_string();
    assert!(!text.contains("argon2") && !text.contains("blob"), "{text}");

    // `qoder-server admin grant`: sam is an admin after the next token.
    let (ok, out) = admin_command(&s, &["grant", "SAM@example.com"]);
    assert!(ok, "{out}");
    assert!(sam.admin_stats().await.is_err(), "the old token still says user");
    sam.refresh().await.expect("refresh");
    assert_eq!(claims_of(&sam.access_token().expect("token"))["role"], "admin");
    assert_eq!(sam.admin_stats().await.expect("now an admin").admins, 2);
    // Revoked: the token that says admin stops working at once.
    let (ok, out) = admin_command(&s, &["revoke", "sam@example.com"]);
    assert!(ok, "{out}");
    assert_eq!(claims_of(&sam.access_token().expect("token"))["role"], "admin");
    let err = sam.admin_stats().await.expect_err("demoted");
    assert_eq!(err.status(), Some(403));
    // An unknown email is an error.
    let (ok, out) = admin_command(&s, &["grant", "nobody@example.com"]);
    assert!(!ok && out.contains("no account"), "{out}");
    // A forged admin claim for a plain user (right key, wrong role) is refused by the database.
    let now = chrono::Utc::now().timestamp();
    let forged = forge(
        &Claims {
            sub: tia.user_id().expect("user"),
            dev: tia_dev,
            role: "admin".into(),
            iss: "qoder-server".into(),
            aud: "qoder-sync".into(),
            iat: now,
            exp: now + 600,
        },
        JWT_SECRET.as_bytes(),
    );
    let r = s.http.get(s.url("/api/admin/stats")).bearer_auth(forged).send().await.expect("send");
    assert_eq!(error_of(r).await, (403, "forbidden".into()));
}
