//! Two data directories on one machine (two "desktops") sign in to a real `qoder-server` over a
//! fresh PostgreSQL database and converge after edits on both, through the real `qoder` binary.
//! The server ends up holding only ciphertext: a canary written on a device never shows up in
//! any table.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use qoder_server::config::{Config, Secret};
use serde_json::Value;
use sqlx::{Connection, PgConnection, Row};

use crate::common::{PASSWORD, pg_admin};

fn qoder(dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_qoder"))
        .args(args)
        .env("QODER_DATA_DIR", dir)
        .env("QODER_PARSE_IN_PROCESS", "1")
        .env_remove("QODER_SYNC_PASSWORD")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(s) = stdin {
        child.stdin.take().unwrap().write_all(s.as_bytes()).unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let o = qoder(dir, args, None);
    assert!(o.status.success(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

fn json(dir: &Path, args: &[&str]) -> Value {
    serde_json::from_str(&ok(dir, args)).unwrap()
}

fn sync(dir: &Path) -> Value {
    json(dir, &["sync", "now", "--json"])
}

/// Jobs as the user sees them, without what is local by nature.
fn jobs(dir: &Path) -> Vec<Value> {
    let list = json(dir, &["jobs", "list", "--json", "--limit", "100", "--sort", "title"]);
    let items = list.get("items").cloned().unwrap_or(list);
    items.as_array().unwrap().clone()
}

fn job(dir: &Path, id: &str) -> Value {
    json(dir, &["jobs", "show", id, "--json"])
}

struct Server {
    base: String,
    db: String,
    _rt: tokio::runtime::Runtime,
}

impl Server {
    fn start() -> Self {
        Self::start_with(|_| {})
    }

    fn start_with(tweak: impl FnOnce(&mut Config)) -> Self {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let db = format!("qoder_cli_sync_{}_{:08x}", std::process::id(), rand_u32());
        let base = rt.block_on(async {
            let mut admin = PgConnection::connect(&format!("{}/postgres", pg_admin()))
                .await
                .expect("PostgreSQL must be reachable at $QODER_TEST_PG or 127.0.0.1:5432");
            sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {db}")))
                .execute(&mut admin)
                .await
                .unwrap();
            let mut config = Config {
                listen: "127.0.0.1:0".parse().unwrap(),
                database_url: Secret::new(format!("{}/{db}", pg_admin())),
                jwt_secret: Secret::new("cli-sync-test-secret-0123456789abcdef0123"),
                // These tests sync far more often than a person does.
                api_rate_limit: 100_000,
                ..Config::default()
            };
            tweak(&mut config);
            let pool = qoder_server::connect(&config).await.unwrap();
            let state = qoder_server::AppState::new(config, pool).await.unwrap();
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let addr = listener.local_addr().unwrap();
            tokio::spawn(qoder_server::serve(listener, state, std::future::pending()));
            format!("http://{addr}")
        });
        Self { base, db, _rt: rt }
    }

    /// Every text value of every table of the server's database.
    fn dump(&self) -> String {
        self._rt.block_on(async {
            let mut c = PgConnection::connect(&format!("{}/{}", pg_admin(), self.db)).await.unwrap();
            let tables: Vec<String> = sqlx::query(
                "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public'",
            )
            .fetch_all(&mut c)
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.get(0))
            .collect();
            let mut out = String::new();
            for t in tables {
                let rows = sqlx::raw_sql(sqlx::AssertSqlSafe(format!("SELECT t::text FROM \"{t}\" t")))
                    .fetch_all(&mut c)
                    .await
                    .unwrap();
                for r in rows {
                    out.push_str(&r.get::<String, _>(0));
                    out.push('\n');
                }
            }
            out
        })
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let db = self.db.clone();
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            rt.block_on(async {
                if let Ok(mut admin) =
                    PgConnection::connect(&format!("{}/postgres", pg_admin())).await
                {
                    let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                        "DROP DATABASE IF EXISTS {db} WITH (FORCE)"
                    )))
                    .execute(&mut admin)
                    .await;
                }
            });
        })
        .join();
    }
}

fn rand_u32() -> u32 {
    let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap();
    t.subsec_nanos() ^ (std::process::id() << 8)
}

fn corpus(name: &str) -> String {
    format!("{}/../../tests/corpus/files/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn two_data_directories_converge_through_the_server() {
    let server = Server::start();
    let laptop = tempfile::tempdir().unwrap();
    let desktop = tempfile::tempdir().unwrap();
    let (a, b) = (laptop.path(), desktop.path());

    // Before signing in: a clear answer, exit 2.
    let o = qoder(a, &["sync", "now"], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not signed in"));

    // The laptop has a resume and two applications, one with a canary in its notes.
    ok(a, &["resume", "import", &corpus("r01-software.pdf")]);
    let canary = "CANARY-7f3a9c-salary-125k";
    let j1 = ok(
        a,
        &[
            "jobs",
            "add",
            "--title",
            "Rust Engineer",
            "--company",
            "Acme",
            "--vendor",
            "Hays",
            "--rate",
            "95/hour",
            "--notes",
            canary,
        ],
    )
    .trim()
    .to_string();
    let j2 = ok(
        a,
        &[
            "jobs",
            "add",
            "--title",
            "Data Engineer",
            "--company",
            "Globex",
            "--notes",
            "first notes",
        ],
    )
    .trim()
    .to_string();
    ok(a, &["jobs", "status", &j1, "applied"]);

    // First device: creates the account (wrong stdin → a clear error first).
    let o = qoder(
        a,
        &["sync", "login", "--server", &server.base, "--email", "sam@example.com", "--create"],
        Some(""),
    );
    assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stderr));
    let o = qoder(
        a,
        &["sync", "login", "--server", &server.base, "--email", "sam@example.com", "--create"],
        Some(&format!("{PASSWORD}\n")),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let r = sync(a);
    assert!(r["pushed"].as_u64().unwrap() >= 6, "{r}");

    // The desktop has its own application, and a wrong password is refused.
    let j3 = ok(b, &["jobs", "add", "--title", "Platform Engineer", "--company", "Initech"])
        .trim()
        .to_string();
    let o = qoder(
        b,
        &["sync", "login", "--server", &server.base, "--email", "sam@example.com"],
        Some("wrong password!!\n"),
    );
    assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stderr));
    let o = qoder(
        b,
        &["sync", "login", "--server", &server.base, "--email", "Sam@Example.com"],
        Some(&format!("{PASSWORD}\n")),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let r = sync(b);
    assert!(r["pulled"].as_u64().unwrap() >= 6, "{r}");
    sync(a);
    assert_eq!(jobs(a), jobs(b));
    assert_eq!(jobs(a).len(), 3);
    // The resume, its analysis and its original file came along.
    let va = json(a, &["resume", "versions", "--json"]);
    assert_eq!(va, json(b, &["resume", "versions", "--json"]));
    let version = va[0]["id"].as_str().unwrap().to_string();
    let copy = b.join("copy.pdf");
    ok(b, &["resume", "export", &version, "--out", copy.to_str().unwrap()]);
    assert_eq!(std::fs::read(&copy).unwrap(), std::fs::read(corpus("r01-software.pdf")).unwrap());

    // Edits on both: different fields of one job both survive; the same notes edited on both
    // keeps one and a conflict copy of the other; a delete on one removes it on the other.
    ok(a, &["jobs", "status", &j1, "interviewing"]);
    ok(b, &["jobs", "update", &j1, "--location", "Berlin"]);
    ok(a, &["jobs", "update", &j2, "--notes", "laptop notes"]);
    ok(b, &["jobs", "update", &j2, "--notes", "desktop notes"]);
    ok(b, &["jobs", "rm", &j3]);
    ok(b, &["resume", "tag", &version, "rust"]);
    // Corrections of the parse travel with the version; two fields corrected on two devices
    // at once both survive.
    ok(a, &["resume", "correct", &version, "--field", "name", "--value", "Sam Q. Roe"]);
    ok(b, &["resume", "correct", &version, "--field", "location", "--value", "Porto, Portugal"]);
    sync(a);
    sync(b);
    sync(a);
    for dir in [a, b] {
        let j: Value = serde_json::from_str(&ok(
            dir,
            &["resume", "export", &version, "--format", "json-resume"],
        ))
        .unwrap();
        assert_eq!(j["basics"]["name"], "Sam Q. Roe", "{}", j["basics"]);
        assert!(j["basics"].to_string().contains("Porto"), "{}", j["basics"]);
    }
    assert_eq!(jobs(a), jobs(b));
    let (ja, jb) = (job(a, &j1), job(b, &j1));
    assert_eq!(ja, jb);
    let text = ja.to_string();
    assert!(text.contains("interviewing") && text.contains("Berlin"), "{text}");
    assert_eq!(jobs(a).len(), 2);
    let notes_a = job(a, &j2).to_string();
    let kept = if notes_a.contains("laptop notes") { "desktop notes" } else { "laptop notes" };
    for dir in [a, b] {
        let copies = json(dir, &["sync", "conflicts", "--json"]);
        let copies = copies.as_array().unwrap();
        assert_eq!(copies.len(), 1, "{copies:?}");
        assert_eq!(copies[0]["value"], kept);
        assert_eq!(copies[0]["entity"], j2.as_str());
    }
    assert_eq!(
        json(a, &["resume", "versions", "--json"]),
        json(b, &["resume", "versions", "--json"])
    );
    let st = json(a, &["sync", "status", "--json"]);
    assert_eq!((st["waiting"].as_u64(), st["conflicts"].as_u64()), (Some(0), Some(1)), "{st}");

    // The server never saw the canary, the email's password or the resume text.
    let dump = server.dump();
    assert!(dump.contains("sam@example.com"), "the dump should hold the account");
    for secret in [canary, PASSWORD, "Rust Engineer", "Acme"] {
        assert!(!dump.contains(secret), "{secret} is on the server");
    }

    // Off: nothing is sent; on again: it is.
    ok(a, &["sync", "off"]);
    let o = qoder(a, &["sync", "now"], None);
    assert_eq!(o.status.code(), Some(2));
    ok(a, &["jobs", "update", &j2, "--location", "Remote"]);
    ok(a, &["sync", "on"]);
    sync(a);
    sync(b);
    assert_eq!(jobs(a), jobs(b));

    // Signing out keeps the data.
    ok(b, &["sync", "logout"]);
    assert_eq!(jobs(b).len(), 2);
    assert!(ok(b, &["sync", "status"]).contains("Not signed in"));
}

#[test]
fn an_unreachable_server_is_a_clear_error_and_loses_nothing() {
    let d = tempfile::tempdir().unwrap();
    // Nothing listens on port 9 of localhost.
    let o = qoder(
        d.path(),
        &["sync", "login", "--server", "http://127.0.0.1:9", "--email", "a@b.co"],
        Some("some password\n"),
    );
    assert_eq!(o.status.code(), Some(1), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains("could not reach the sync server"));
    let o = qoder(
        d.path(),
        &["sync", "login", "--server", "ftp://x", "--email", "a@b.co"],
        Some("some password\n"),
    );
    assert_eq!(o.status.code(), Some(2));
}

// --- convergence under random edits and a flaky network -----------------------------------

use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};

/// How the proxy between the devices and the server behaves.
const PASS: u8 = 0;
/// Connections are closed at once (offline).
const REFUSE: u8 = 1;
/// Requests reach the server, answers never come back (a crash between push and ack).
const LOSE_ANSWERS: u8 = 2;

/// A TCP proxy in front of the server whose behaviour a test switches.
fn proxy(upstream: &str) -> (String, Arc<AtomicU8>) {
    let target = upstream.trim_start_matches("http://").to_string();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let mode = Arc::new(AtomicU8::new(PASS));
    let m = mode.clone();
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            let mode = m.load(Ordering::SeqCst);
            if mode == REFUSE {
                drop(client);
                continue;
            }
            let Ok(server) = TcpStream::connect(&target) else { continue };
            let (mut c_read, mut s_write) =
                (client.try_clone().unwrap(), server.try_clone().unwrap());
            std::thread::spawn(move || {
                let _ = std::io::copy(&mut c_read, &mut s_write);
                let _ = s_write.shutdown(std::net::Shutdown::Write);
            });
            let (mut s_read, mut c_write) = (server, client);
            std::thread::spawn(move || {
                if mode == LOSE_ANSWERS {
                    // Wait for the server's answer (so the request was handled), then hang up.
                    let mut first = [0u8; 1];
                    let _ = std::io::Read::read(&mut s_read, &mut first);
                    let _ = c_write.shutdown(std::net::Shutdown::Both);
                } else {
                    let _ = std::io::copy(&mut s_read, &mut c_write);
                    let _ = c_write.shutdown(std::net::Shutdown::Write);
                }
            });
        }
    });
    (format!("http://{addr}"), mode)
}

/// A small deterministic generator (xorshift), so a failing run can be replayed by its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// What a user sees of the tracker: every job with its fields, and the status timeline.
fn snapshot(dir: &Path) -> Vec<String> {
    let store = qoder_core::Store::open(dir).unwrap();
    let mut stmt = store
        .conn()
        .prepare(
            "SELECT id || ' ' || title || ' ' || coalesce(notes, '-') || ' ' || coalesce(location, '-')
                    || ' ' || status || ' ' || (SELECT count(*) FROM status_change s WHERE s.job_id = job.id)
               FROM job ORDER BY id",
        )
        .unwrap();
    stmt.query_map([], |r| r.get::<_, String>(0)).unwrap().map(Result::unwrap).collect()
}

#[test]
fn three_devices_converge_after_random_edits_and_a_flaky_network() {
    use qoder_core::sync as core_sync;
    use qoder_domain::job::{JobFields, JobStatus};

    let seed = std::env::var("QODER_CONVERGE_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| u64::from(rand_u32()) | 1);
    eprintln!("seed {seed} (replay with QODER_CONVERGE_SEED={seed})");
    let mut rng = Rng(seed);
    let server = Server::start();
    let (base, mode) = proxy(&server.base);
    let dirs: Vec<tempfile::TempDir> = (0..3).map(|_| tempfile::tempdir().unwrap()).collect();
    for (i, d) in dirs.iter().enumerate() {
        core_sync::login(
            d.path(),
            &base,
            "kim@example.com",
            PASSWORD,
            if i == 0 { core_sync::AccountMode::Create } else { core_sync::AccountMode::Existing },
        )
        .unwrap();
    }
    let statuses =
        [JobStatus::Applied, JobStatus::Screening, JobStatus::Interviewing, JobStatus::Offer];
    let mut failed_syncs = 0;
    let mut added = 0;
    for step in 0..120 {
        let d = dirs[rng.below(3)].path();
        let mut store = qoder_core::Store::open(d).unwrap();
        let ids: Vec<_> =
            snapshot(d).iter().map(|l| l.split(' ').next().unwrap().to_string()).collect();
        let pick = |rng: &mut Rng| ids[rng.below(ids.len())].parse().unwrap();
        match rng.below(10) {
            0 | 1 => {
                let f = JobFields { title: Some(format!("Job {step}")), ..JobFields::default() };
                qoder_core::job::add(&mut store, &f).unwrap();
                added += 1;
            }
            2 | 3 if !ids.is_empty() => {
                let f = JobFields { notes: Some(format!("notes {step}")), ..JobFields::default() };
                qoder_core::job::update(&mut store, pick(&mut rng), &f).unwrap();
            }
            4 if !ids.is_empty() => {
                let f =
                    JobFields { location: Some(format!("City {step}")), ..JobFields::default() };
                qoder_core::job::update(&mut store, pick(&mut rng), &f).unwrap();
            }
            5 if !ids.is_empty() => {
                let s = statuses[rng.below(statuses.len())];
                let _ = qoder_core::job::set_status(&mut store, pick(&mut rng), s, None);
            }
            6 if ids.len() > 3 => qoder_core::job::remove(&mut store, pick(&mut rng)).unwrap(),
            _ => {
                drop(store);
                let m = [PASS, PASS, PASS, REFUSE, LOSE_ANSWERS][rng.below(5)];
                mode.store(m, Ordering::SeqCst);
                let r = core_sync::sync_now(d);
                mode.store(PASS, Ordering::SeqCst);
                match (m, r) {
                    (PASS, r) => {
                        r.unwrap();
                    }
                    (_, Err(e)) => {
                        assert!(e.is_transient(), "a network failure is transient: {e}");
                        failed_syncs += 1;
                    }
                    // Lost answers may come after the last request that mattered.
                    (_, Ok(_)) => {}
                }
            }
        }
    }
    // Everyone online again: two rounds and every device holds the same tracker.
    for _ in 0..2 {
        for d in &dirs {
            core_sync::sync_now(d.path()).unwrap();
        }
    }
    let first = snapshot(dirs[0].path());
    if std::env::var_os("QODER_SYNC_DEBUG").is_some() {
        for d in &dirs {
            let store = qoder_core::Store::open(d.path()).unwrap();
            let mut stmt = store.conn().prepare("SELECT entity || ' ' || state || ' ' || coalesce(local,'-') || ' ' || coalesce(pending,'-') FROM sync_entity WHERE collection = 'status_changes' ORDER BY entity").unwrap();
            let rows: Vec<String> = stmt
                .query_map([], |r| r.get::<_, String>(0))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            eprintln!("--- {}\n{}", d.path().display(), rows.join("\n"));
        }
    }
    for d in &dirs[1..] {
        assert_eq!(snapshot(d.path()), first, "seed {seed}");
    }
    for d in &dirs {
        let s = core_sync::status(d.path()).unwrap();
        assert_eq!((s.waiting, s.pending), (0, 0), "seed {seed}: {s:?}");
    }
    // The server holds exactly one row per (device, collection, index).
    let dupes: i64 = server._rt.block_on(async {
        let mut c = PgConnection::connect(&format!("{}/{}", pg_admin(), server.db)).await.unwrap();
        let tables: Vec<String> = sqlx::query(
            "SELECT table_name::text FROM information_schema.columns
              WHERE table_schema = 'public' AND column_name = 'idx'",
        )
        .fetch_all(&mut c)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.get(0))
        .collect();
        assert_eq!(tables.len(), 1, "one record table: {tables:?}");
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "SELECT count(*) - count(DISTINCT (device_id, collection, idx)) FROM \"{}\"",
            tables[0]
        )))
        .fetch_one(&mut c)
        .await
        .unwrap()
        .get(0)
    });
    assert_eq!(dupes, 0);
    eprintln!(
        "seed {seed}: {added} jobs added, {} left on every device, {failed_syncs} syncs cut by the network",
        first.len()
    );
}

#[test]
fn a_device_is_told_at_once_when_another_pushed() {
    let server = Server::start();
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    qoder_core::sync::login(
        a.path(),
        &server.base,
        "lee@example.com",
        PASSWORD,
        qoder_core::sync::AccountMode::Create,
    )
    .unwrap();
    qoder_core::sync::login(
        b.path(),
        &server.base,
        "lee@example.com",
        PASSWORD,
        qoder_core::sync::AccountMode::Existing,
    )
    .unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let dir = a.path().to_path_buf();
    server._rt.spawn(async move {
        let r = qoder_core::sync::watch(&dir, move || {
            let _ = tx.send(());
        })
        .await;
        eprintln!("watch ended: {r:?}");
    });
    std::thread::sleep(std::time::Duration::from_millis(500));
    // The watching device's own push is not news to it.
    ok(a.path(), &["jobs", "add", "--title", "Own edit"]);
    qoder_core::sync::sync_now(a.path()).unwrap();
    assert!(rx.recv_timeout(std::time::Duration::from_millis(700)).is_err());
    let started = std::time::Instant::now();
    ok(b.path(), &["jobs", "add", "--title", "From the other device"]);
    qoder_core::sync::sync_now(b.path()).unwrap();
    rx.recv_timeout(std::time::Duration::from_secs(3)).expect("told of the other device's push");
    eprintln!("told {} ms after the other device's edit", started.elapsed().as_millis());
    qoder_core::sync::sync_now(a.path()).unwrap();
    assert!(ok(a.path(), &["jobs", "list"]).contains("From the other device"));
}

#[test]
fn recovery_code_and_password_change() {
    // Access tokens live 1 s here (plus the server's 5 s leeway), so the device signed in
    // before the change finds out soon.
    let server = Server::start_with(|c| c.access_token_ttl = 1);
    let dirs: Vec<_> = (0..4).map(|_| tempfile::tempdir().unwrap()).collect();
    let (a, old_device, b, c) = (dirs[0].path(), dirs[1].path(), dirs[2].path(), dirs[3].path());
    let login = |dir: &Path, pw: &str, extra: &[&str]| {
        let mut args =
            vec!["sync", "login", "--server", &server.base, "--email", "ada@example.com"];
        args.extend_from_slice(extra);
        qoder(dir, &args, Some(&format!("{pw}\n")))
    };
    assert!(login(a, PASSWORD, &["--create"]).status.success());
    ok(a, &["jobs", "add", "--title", "Staff Engineer"]);
    sync(a);
    assert!(login(old_device, PASSWORD, &[]).status.success());
    let first = ok(a, &["sync", "recovery-code"]).trim().to_string();
    assert!(first.len() >= 26, "{first}");
    // Replacing it needs the password (a stolen access token alone cannot).
    let o = qoder(a, &["sync", "recovery-code"], None);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("--replace"));
    let o = qoder(a, &["sync", "recovery-code", "--replace"], Some("not the password\n"));
    assert!(!o.status.success());
    let o = qoder(a, &["sync", "recovery-code", "--replace"], Some(&format!("{PASSWORD}\n")));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let code = String::from_utf8_lossy(&o.stdout).trim().to_string();
    assert!(code.len() >= 26 && code != first, "{code}");

    // The old password on stdin, then the new one.
    let new_pw = "a brand new passphrase";
    let o = qoder(a, &["sync", "password"], Some(&format!("{PASSWORD}\n{new_pw}\n")));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = qoder(a, &["sync", "password"], Some("only one line\n"));
    assert_eq!(o.status.code(), Some(2));
    // This device keeps syncing with its new session.
    ok(a, &["jobs", "add", "--title", "Principal Engineer"]);
    sync(a);

    // The old password no longer signs in; the new one does and opens the same key.
    let o = login(b, PASSWORD, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("password is not right"));
    assert!(login(b, new_pw, &[]).status.success());
    sync(b);
    assert_eq!(jobs(b).len(), 2);

    // A device signing in with the recovery code gets the key from it.
    // The code comes on stdin after the password, never as an argument (visible in `ps`).
    let with_code = |dir: &Path, pw: &str, code: &str| {
        let args = [
            "sync",
            "login",
            "--server",
            &server.base,
            "--email",
            "ada@example.com",
            "--with-recovery-code",
        ];
        qoder(dir, &args, Some(&format!("{pw}\n{code}\n")))
    };
    let o = with_code(c, new_pw, &code);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    sync(c);
    assert_eq!(jobs(c), jobs(a));
    let o = with_code(tempfile::tempdir().unwrap().path(), new_pw, "AAAA-BBBB");
    assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stderr));
    let o = with_code(tempfile::tempdir().unwrap().path(), new_pw, &first);
    assert!(!o.status.success(), "the replaced code no longer opens the key");

    // A device signed in before the change is told to sign in again once its access token
    // expires (its refresh token was revoked), and keeps its data.
    std::thread::sleep(std::time::Duration::from_millis(6500));
    ok(old_device, &["jobs", "add", "--title", "Kept offline"]);
    let o = qoder(old_device, &["sync", "now"], None);
    assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains("sign in again"));
    assert!(ok(old_device, &["jobs", "list"]).contains("Kept offline"));
    assert!(ok(old_device, &["sync", "status"]).contains("Last attempt failed"));
}
