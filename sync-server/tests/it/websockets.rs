//! Real-time notices over WebSockets: across server processes, pings, token expiry, limits,
//! a lost LISTEN connection.

use qoder_sync::Client;
use serde_json::Value;
use std::time::{Duration, Instant};
use uuid::Uuid;

use crate::common::*;

async fn next_notice(w: &mut qoder_sync::Watch, within: Duration) -> qoder_sync::wire::Notice {
    tokio::time::timeout(within, w.next())
        .await
        .unwrap_or_else(|_| panic!("no notice within {within:?}"))
        .expect("a notice")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_server_processes_tell_a_device_at_once_when_another_device_pushed() {
    let db = TestDb::create().await;
    let one = ServerProcess::spawn(&db.url(), &[]);
    let two = ServerProcess::spawn(&db.url(), &[]);
    let a = Client::new(&one.base).expect("client");
    let a_dev = Uuid::now_v7();
    a.register("una@example.com", PASSWORD, a_dev).await.expect("register on process 1");
    let b = Client::new(&two.base).expect("client");
    let b_dev = Uuid::now_v7();
    b.login("una@example.com", PASSWORD, b_dev).await.expect("login on process 2");
    let c = Client::new(&two.base).expect("client");
    let c_dev = Uuid::now_v7();
    c.register("vic@example.com", PASSWORD, c_dev).await.expect("another account");

    let mut wa = a.watch().await.expect("A watches on process 1");
    let mut wb = b.watch().await.expect("B watches on process 2");
    let started = Instant::now();
    b.push(&[record(b_dev, "jobs", 0, b"b0")]).await.expect("B pushes through process 2");
    assert_eq!(next_notice(&mut wa, Duration::from_secs(1)).await, pushed(b_dev, "jobs", 0));
    let latency = started.elapsed();

    // A's own push, another account's push and a retried push tell A nothing: the next notices A
    // gets are B's second push (one per collection, with the highest index).
    a.push(&[record(a_dev, "jobs", 0, b"a0")]).await.expect("A pushes");
    c.push(&[record(c_dev, "jobs", 0, b"c0")]).await.expect("C pushes");
    let again = record(b_dev, "jobs", 1, b"b1");
    b.push(&[again.clone(), record(b_dev, "jobs", 2, b"b2"), record(b_dev, "resumes", 0, b"r")])
        .await
        .expect("B pushes again");
    b.push(&[again]).await.expect("retried push");
    assert_eq!(next_notice(&mut wa, Duration::from_secs(1)).await, pushed(b_dev, "jobs", 2));
    assert_eq!(next_notice(&mut wa, Duration::from_secs(1)).await, pushed(b_dev, "resumes", 0));
    assert!(
        tokio::time::timeout(Duration::from_millis(700), wa.next()).await.is_err(),
        "nothing more for A"
    );
    // B hears of A's push, and of nothing of its own.
    assert_eq!(next_notice(&mut wb, Duration::from_secs(1)).await, pushed(a_dev, "jobs", 0));
    assert!(tokio::time::timeout(Duration::from_millis(500), wb.next()).await.is_err());
    eprintln!("notice across processes after {latency:?}");
    wa.close().await;
    wb.close().await;
}

/// Connects a raw WebSocket to `/api/ws` with `?access_token=` (as a browser would).
async fn raw_ws(
    base: &str,
    token: &str,
) -> Result<
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>,
    tokio_tungstenite::tungstenite::Error,
> {
    let url = format!("{}/api/ws?access_token={token}", base.replace("http://", "ws://"));
    tokio_tungstenite::connect_async(url).await.map(|(ws, _)| ws)
}

fn refused_status(e: &tokio_tungstenite::tungstenite::Error) -> (u16, Value) {
    match e {
        tokio_tungstenite::tungstenite::Error::Http(resp) => (
            resp.status().as_u16(),
            serde_json::from_slice(resp.body().as_deref().unwrap_or_default()).expect("json body"),
        ),
        other => panic!("not an HTTP refusal: {other}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn websockets_ping_close_when_the_token_expires_and_are_limited_per_process() {
    use futures_util::StreamExt;
    use tokio_tungstenite::tungstenite::Message;
    let s = TestServer::start_with(|c| {
        c.access_token_ttl = 3;
        c.websocket_ping_interval = 1;
        c.websocket_connection_limit = 1;
    })
    .await;
    let (a, _) = s.account("wes@example.com").await;
    let token = a.access_token().expect("token");
    let started = Instant::now();
    let mut ws = raw_ws(&s.base, &token).await.expect("query-string token accepted");
    // Without a token, with a bad one, or over the limit: refused before the upgrade.
    let e = raw_ws(&s.base, "not.a.token").await.expect_err("bad token");
    assert_eq!(refused_status(&e).0, 401);
    let e = raw_ws(&s.base, &token).await.expect_err("over the limit");
    let (status, body) = refused_status(&e);
    assert_eq!((status, body["code"].as_str()), (503, Some("rate_limited")));
    // The server pings every second (the library answers) and closes at the token's expiry.
    let (mut pings, mut close) = (0, None);
    while let Ok(Some(m)) = tokio::time::timeout(Duration::from_secs(6), ws.next()).await {
        match m.expect("frame") {
            Message::Ping(_) => pings += 1,
            Message::Close(frame) => {
                close = frame.map(|f| (u16::from(f.code), f.reason.to_string()));
                break;
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    let lasted = started.elapsed();
    assert!(pings >= 1, "{pings} pings");
    assert_eq!(close.as_ref().map(|c| c.0), Some(1008), "{close:?}");
    assert!(lasted < Duration::from_secs(6), "closed after {lasted:?}");
    drop(ws);
    // The slot is free again; the client refreshes its expired token (401 at the upgrade, not a
    // socket that closes at once) and watches.
    let mut w = None;
    for _ in 0..20 {
        match a.watch().await {
            Ok(x) => {
                w = Some(x);
                break;
            }
            Err(e) => {
                eprintln!("watch: {e}");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
    let mut w = w.expect("watch after the token expired");
    let err = tokio::time::timeout(Duration::from_secs(6), w.next())
        .await
        .expect("closed at the new token's expiry")
        .expect_err("closed");
    assert!(matches!(err, qoder_sync::WatchError::Closed { code: 1008, .. }), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_listen_connection_closes_the_sockets_and_notices_resume() {
    let s = TestServer::start().await;
    let (a, _) = s.account("xia@example.com").await;
    let b = s.client();
    let b_dev = Uuid::now_v7();
    b.login("xia@example.com", PASSWORD, b_dev).await.expect("login");
    let mut w = a.watch().await.expect("watch");
    // Kill the server's LISTEN connection from the database side.
    let killed: Vec<bool> = sqlx::query_scalar(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE datname = current_database() AND query LIKE 'LISTEN%' \
           AND query NOT LIKE '%qoder_flags%'",
    )
    .fetch_all(&s.pool)
    .await
    .expect("terminate");
    assert_eq!(killed, [true]);
    let err = tokio::time::timeout(Duration::from_secs(5), w.next())
        .await
        .expect("the socket closes")
        .expect_err("closed");
    assert!(matches!(err, qoder_sync::WatchError::Closed { code: 1012, .. }), "{err}");
    // The caller reconnects (the listener is back) and hears of the next push.
    let mut w = None;
    for _ in 0..50 {
        if let Ok(x) = a.watch().await {
            w = Some(x);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut w = w.expect("watch again");
    b.push(&[record(b_dev, "jobs", 0, b"after")]).await.expect("push");
    assert_eq!(next_notice(&mut w, Duration::from_secs(2)).await, pushed(b_dev, "jobs", 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_websocket_that_leaves_pings_unanswered_is_closed() {
    use futures_util::StreamExt;
    use tokio_tungstenite::tungstenite::Message;
    let s = TestServer::start_with(|c| {
        c.websocket_ping_interval = 1;
        c.websocket_connection_limit = 1;
    })
    .await;
    let (a, _) = s.account("yan@example.com").await;
    let token = a.access_token().expect("token");
    let mut ws = raw_ws(&s.base, &token).await.expect("connect");
    // Not reading means not answering: the server's pings pile up unanswered, and at the third
    // tick it gives up on the socket.
    tokio::time::sleep(Duration::from_millis(3500)).await;
    let mut pings = 0;
    let ending = loop {
        match tokio::time::timeout(Duration::from_secs(3), ws.next()).await {
            Ok(Some(Ok(Message::Ping(_)))) => pings += 1,
            // The close frame, or, when the library's late pong hits the closed socket first,
            // the broken connection.
            Ok(Some(Ok(Message::Close(f)))) => break format!("close {:?}", f.map(|f| f.code)),
            Ok(Some(Err(e))) => break format!("error {e}"),
            other => panic!("after {pings} pings: {other:?}"),
        }
    };
    assert_eq!(pings, 2, "{ending}");
    assert!(ending.contains("Error") || ending.contains("error"), "{ending}");
    // The server let go of it: the one slot is free for a new socket.
    drop(ws);
    raw_ws(&s.base, &token).await.expect("the slot is free again");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn websockets_are_limited_per_user() {
    let s = TestServer::start_with(|c| c.websocket_per_user_limit = 2).await;
    let (a, _) = s.account("pat@example.com").await;
    let (b, _) = s.account("quy@example.com").await;
    let ta = a.access_token().expect("token");
    let _one = raw_ws(&s.base, &ta).await.expect("first");
    let _two = raw_ws(&s.base, &ta).await.expect("second");
    let e = raw_ws(&s.base, &ta).await.expect_err("third of one user");
    assert_eq!(refused_status(&e).0, 503);
    let _other = raw_ws(&s.base, &b.access_token().expect("token")).await.expect("another user");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_websocket_message_over_the_cap_closes_the_socket() {
    use futures_util::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::Message;
    let s = TestServer::start().await;
    let (a, _) = s.account("ray@example.com").await;
    let mut ws = raw_ws(&s.base, &a.access_token().expect("token")).await.expect("socket");
    let big = "x".repeat(qoder_server::http::ws::MAX_CLIENT_MESSAGE * 4);
    let _ = ws.send(Message::Text(big.into())).await;
    let ended = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            match ws.next().await {
                None | Some(Err(_)) | Some(Ok(Message::Close(_))) => break,
                Some(Ok(_)) => {}
            }
        }
    })
    .await;
    assert!(ended.is_ok(), "the server closed the socket");
}

/// A graceful shutdown closes every socket with "going away" (1001): a device's sync socket
/// and an admin's live socket alike (their shared keepalive).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shutdown_closes_the_sockets_with_going_away() {
    use futures_util::StreamExt;
    use tokio_tungstenite::tungstenite::Message;
    let db = TestDb::create().await;
    let server = Server::start(&config(&db)).await;
    let a = Client::new(&server.base).expect("client");
    a.register("una@example.com", PASSWORD, Uuid::now_v7()).await.expect("register");
    let admin = Client::new(&server.base).expect("client");
    let admin_dev = Uuid::now_v7();
    admin.register("root@example.com", PASSWORD, admin_dev).await.expect("admin");
    sqlx::query("UPDATE users SET role = 'admin' WHERE email = 'root@example.com'")
        .execute(&server.pool)
        .await
        .expect("promote");
    admin.login("root@example.com", PASSWORD, admin_dev).await.expect("login as admin");
    let mut sync = raw_ws(&server.base, &a.access_token().expect("token")).await.expect("sync");
    let live_url = format!(
        "{}/api/admin/live?access_token={}",
        server.base.replace("http://", "ws://"),
        admin.access_token().expect("admin token")
    );
    let (mut live, _) = tokio_tungstenite::connect_async(live_url).await.expect("live socket");
    // The live socket is serving (its first frame), then the server stops.
    let first = tokio::time::timeout(Duration::from_secs(5), live.next()).await.expect("a frame");
    assert!(matches!(first, Some(Ok(Message::Text(_)))), "{first:?}");
    let stopping = tokio::spawn(server.shut_down());
    for (what, socket) in [("sync", &mut sync), ("live", &mut live)] {
        let code = loop {
            match tokio::time::timeout(Duration::from_secs(5), socket.next()).await {
                Ok(Some(Ok(Message::Close(frame)))) => break frame.map(|f| u16::from(f.code)),
                Ok(Some(Ok(_))) => continue,
                other => panic!("{what}: no close frame: {other:?}"),
            }
        };
        assert_eq!(code, Some(1001), "{what}");
    }
    stopping.await.expect("shut down");
}
