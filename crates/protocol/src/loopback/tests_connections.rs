//! The listener under idle, slow, garbage, oversized and concurrent connections.

use super::tests_callback::exp;
use super::*;
fn any_issuer() -> CallbackExpectation {
    CallbackExpectation {
        issuer: None,
        ..exp()
    }
}

type Waiting = tokio::task::JoinHandle<Result<Callback>>;

async fn start(expect: CallbackExpectation, request_deadline: Option<Duration>) -> (u16, Waiting) {
    let mut l = LoopbackListener::bind("http://127.0.0.1/callback")
        .await
        .unwrap();
    if let Some(d) = request_deadline {
        l.request_deadline = d;
    }
    let port = l.redirect_uri().port().unwrap();
    let waiting = tokio::spawn(async move { l.wait(&expect, Duration::from_secs(20)).await });
    (port, waiting)
}

async fn connect(port: u16) -> TcpStream {
    TcpStream::connect(("127.0.0.1", port)).await.unwrap()
}

/// What the client reads until the listener closes (a reset ends it too).
async fn read_all(s: &mut TcpStream) -> String {
    let mut got = Vec::new();
    let mut chunk = [0u8; 4096];
    while let Ok(n @ 1..) = s.read(&mut chunk).await {
        got.extend_from_slice(&chunk[..n]);
    }
    String::from_utf8_lossy(&got).into_owned()
}

async fn send(port: u16, bytes: &[u8]) -> String {
    let mut s = connect(port).await;
    // The listener may refuse before reading everything; its answer is what counts.
    let _ = s.write_all(bytes).await;
    read_all(&mut s).await
}

async fn get(port: u16, target: &str) -> String {
    send(
        port,
        format!("GET {target} HTTP/1.1\r\nhost: x\r\n\r\n").as_bytes(),
    )
    .await
}

/// Sends the real callback and returns how long the listener took to accept it.
async fn deliver_callback(port: u16, waiting: Waiting, case: &str) -> Duration {
    let start = std::time::Instant::now();
    let page = get(port, "/callback?code=abc&state=s1").await;
    let cb = waiting
        .await
        .unwrap()
        .unwrap_or_else(|e| panic!("{case}: the callback must be accepted, got {e}"));
    let took = start.elapsed();
    println!("{case}: callback accepted in {took:?}");
    assert!(
        page.starts_with("HTTP/1.1 200")
            && page.contains("Authorization received")
            && !page.contains("Signed in"),
        "{case}: the browser is told the response was received (not yet signed in): {page}"
    );
    assert_eq!(
        cb.get("code"),
        Some("abc"),
        "{case}: the outcome is the real callback's, not another connection's"
    );
    took
}

/// Whether the listener closed this connection within a second.
async fn closed_soon(s: &mut TcpStream) -> bool {
    let mut b = [0u8; 1];
    matches!(
        tokio::time::timeout(Duration::from_secs(1), s.read(&mut b)).await,
        Ok(Ok(0) | Err(_))
    )
}

#[tokio::test]
async fn idle_connection_does_not_delay_the_callback() {
    let (port, waiting) = start(any_issuer(), None).await;
    // Connected first, so accepted first: the old listener read it for 10 s.
    let _preconnect = connect(port).await;
    let took = deliver_callback(port, waiting, "idle preconnect socket").await;
    assert!(
        took < Duration::from_secs(1),
        "an idle preconnect socket must not delay the callback (took {took:?})"
    );
}

/// Connects and sends a valid-looking head that never ends, one byte per `every`; reports
/// once it has sent a few bytes, and finally how long until the listener closed it.
fn slow_loris(
    port: u16,
    every: Duration,
) -> (
    tokio::sync::oneshot::Receiver<()>,
    tokio::task::JoinHandle<Duration>,
) {
    let (started, started_rx) = tokio::sync::oneshot::channel();
    let task = tokio::spawn(async move {
        let begin = std::time::Instant::now();
        let mut s = connect(port).await;
        let mut tick = tokio::time::interval(every);
        let bytes = b"GET /callback?code=loris&state=s1 HTTP/1.1\r\nx-pad: ";
        let mut bytes = bytes.iter().copied().chain(std::iter::repeat(b'a'));
        let mut started = Some(started);
        let mut sent = 0;
        let mut b = [0u8; 64];
        loop {
            tokio::select! {
                r = s.read(&mut b) => {
                    if matches!(r, Ok(0) | Err(_)) {
                        return begin.elapsed();
                    }
                }
                _ = tick.tick() => {
                    if s.write_all(&[bytes.next().unwrap()]).await.is_err() {
                        return begin.elapsed();
                    }
                    sent += 1;
                    if sent == 3 {
                        let _ = started.take().map(|s| s.send(()));
                    }
                }
            }
        }
    });
    (started_rx, task)
}

#[tokio::test]
async fn slow_loris_does_not_hold_the_login() {
    let (port, waiting) = start(any_issuer(), None).await;
    let (started, loris) = slow_loris(port, Duration::from_millis(100));
    started.await.unwrap();
    let took = deliver_callback(port, waiting, "slow loris").await;
    loris.abort();
    assert!(
        took < Duration::from_secs(1),
        "a connection sending a byte every 100 ms must not hold the callback (took {took:?})"
    );
}

#[tokio::test]
async fn slow_loris_is_cut_off_at_the_request_deadline() {
    let deadline = Duration::from_millis(300);
    let (port, waiting) = start(any_issuer(), Some(deadline)).await;
    let (_started, loris) = slow_loris(port, Duration::from_millis(50));
    let lived = tokio::time::timeout(Duration::from_secs(5), loris)
        .await
        .expect("the listener must close a slow sender: the deadline is per request, not per read")
        .unwrap();
    println!("slow loris closed after {lived:?} (deadline {deadline:?})");
    assert!(
        lived >= deadline - Duration::from_millis(50) && lived < Duration::from_secs(2),
        "the slow sender is closed at the request deadline, not before or long after ({lived:?})"
    );
    waiting.abort();
}

#[tokio::test]
async fn garbage_gets_400_and_the_listener_keeps_working() {
    let (port, waiting) = start(any_issuer(), None).await;
    let cases: &[(&str, &[u8])] = &[
        ("TLS hello", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03"),
        ("binary noise", b"\x00\xff\x13\x37"),
        ("words", b"hello there\r\n\r\n"),
        (
            "a callback with a broken header",
            b"GET /callback?code=evil&state=s1 HTTP/1.1\r\nno colon here\r\n\r\n",
        ),
    ];
    for (case, bytes) in cases {
        let start = std::time::Instant::now();
        let answer = send(port, bytes).await;
        assert!(
            answer.starts_with("HTTP/1.1 400 "),
            "{case}: non-HTTP bytes are answered 400: {answer}"
        );
        assert!(
            start.elapsed() < Duration::from_secs(1),
            "{case}: noise is refused at once, not at the deadline ({:?})",
            start.elapsed()
        );
    }
    let other = get(port, "/favicon.ico").await;
    assert!(
        other.starts_with("HTTP/1.1 404 "),
        "other paths are still 404: {other}"
    );
    let took = deliver_callback(port, waiting, "after garbage").await;
    assert!(
        took < Duration::from_secs(1),
        "the listener keeps serving after noise (took {took:?})"
    );
}

#[tokio::test]
async fn oversized_requests_are_refused_and_the_listener_keeps_working() {
    let (port, waiting) = start(any_issuer(), None).await;
    let mut head = b"GET /callback?code=big&state=s1 HTTP/1.1\r\nx-pad: ".to_vec();
    head.resize(MAX_REQUEST + 8 * 1024, b'a');
    let answer = send(port, &head).await;
    assert!(
        answer.starts_with("HTTP/1.1 431 "),
        "a head above {MAX_REQUEST} bytes is refused with 431: {answer:.80}"
    );
    let body = format!(
        "POST /callback HTTP/1.1\r\ncontent-length: {}\r\n\r\nstate=s1&code=big",
        MAX_REQUEST + 1
    );
    let answer = send(port, body.as_bytes()).await;
    assert!(
        answer.starts_with("HTTP/1.1 413 "),
        "a body above {MAX_REQUEST} bytes is refused with 413 before it is read: {answer:.80}"
    );
    let took = deliver_callback(port, waiting, "after oversized requests").await;
    assert!(
        took < Duration::from_secs(1),
        "the listener keeps serving after oversized requests (took {took:?})"
    );
}

#[tokio::test]
async fn fifty_idle_connections_and_the_callback() {
    let (port, waiting) = start(any_issuer(), None).await;
    let mut idle = Vec::new();
    for _ in 0..50 {
        idle.push(connect(port).await);
    }
    assert!(
        closed_soon(&mut idle[0]).await,
        "beyond {MAX_CONNECTIONS} connections the oldest is closed, bounding what idle sockets hold"
    );
    let took = deliver_callback(port, waiting, "50 idle connections").await;
    assert!(
        took < Duration::from_secs(1),
        "50 idle connections must not delay the callback (took {took:?})"
    );
}

#[tokio::test]
async fn implicit_fragment_page_then_post() {
    let (port, waiting) = start(
        CallbackExpectation {
            fragment: true,
            ..any_issuer()
        },
        None,
    )
    .await;
    let page = get(port, "/callback").await;
    assert!(
        page.starts_with("HTTP/1.1 200") && page.contains("method: \"POST\""),
        "the first GET gets the page that posts the fragment back: {page:.120}"
    );
    let form = "access_token=t&token_type=bearer&state=s1";
    let answer = send(
        port,
        format!(
            "POST /callback HTTP/1.1\r\ncontent-type: application/x-www-form-urlencoded\r\ncontent-length: {}\r\n\r\n{form}",
            form.len()
        )
        .as_bytes(),
    )
    .await;
    assert!(
        answer.starts_with("HTTP/1.1 200") && answer.contains("Authorization received"),
        "the posted fragment is the callback: {answer}"
    );
    let cb = waiting
        .await
        .unwrap()
        .expect("the posted fragment passes the checks");
    assert_eq!(
        cb.get("access_token"),
        Some("t"),
        "parameters come from the POST body"
    );
}

#[tokio::test]
async fn dropping_the_wait_closes_the_port_and_its_connections() {
    let l = LoopbackListener::bind("http://127.0.0.1/callback")
        .await
        .unwrap();
    let port = l.redirect_uri().port().unwrap();
    let e = any_issuer();
    let mut idle = connect(port).await;
    {
        let wait = l.wait(&e, Duration::from_secs(20));
        tokio::pin!(wait);
        // Served after `idle` was accepted (in connect order), so `idle` is being read.
        tokio::select! {
            r = &mut wait => panic!("nothing should decide the wait: {r:?}"),
            page = get(port, "/elsewhere") => assert!(
                page.starts_with("HTTP/1.1 404"),
                "the listener is serving before it is dropped: {page}"
            ),
        }
    }
    assert!(
        closed_soon(&mut idle).await,
        "dropping the wait future closes the connections it was reading"
    );
    assert!(
        TcpStream::connect(("127.0.0.1", port)).await.is_err(),
        "dropping the wait future closes the port"
    );
}

#[test]
fn the_wait_future_is_send() {
    fn send<T: Send>(_: &T) {}
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let l = rt
        .block_on(LoopbackListener::bind("http://127.0.0.1/callback"))
        .unwrap();
    let e = exp();
    let wait = l.wait(&e, Duration::from_millis(1));
    send(&wait);
}
