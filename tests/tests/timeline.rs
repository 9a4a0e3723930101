//! What a login tells its timeline and leaves in History (issue 12, "Timeline", "History that
//! acts"), against the real oidc-provider with the test browser: each exchange goes out live
//! once, the authorization URL once, a device flow's polls by their status (only the answering
//! poll as an exchange; the "not yet" filter itself is unit-tested in the protocol crate), and
//! the history event names its flow and the options to run it again (never a secret).

#[allow(dead_code)] // `quiet` is not needed here: these tests record the progress.
mod engine_support;

use engine_support::{engine, spec};
use oauthdesk_core::launcher::Launcher;
use oauthdesk_core::model::{FlowEvent, GrantType, Progress};
use oauthdesk_core::secrets::MemoryStore;
use oauthdesk_core::{Desk, DeskConfig, LoginOptions};
use oauthdesk_tests::Provider;
use std::sync::{Arc, Mutex};

fn recorder() -> (Progress, Arc<Mutex<Vec<FlowEvent>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    let progress: Progress = Arc::new(move |e| sink.lock().unwrap().push(e));
    (progress, seen)
}

fn exchanges(events: &[FlowEvent]) -> Vec<(String, String)> {
    events
        .iter()
        .filter_map(|e| match e {
            FlowEvent::Exchange { exchange } => {
                Some((exchange.step.clone(), exchange.request.url.clone()))
            }
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn a_code_login_reports_each_exchange_once_and_its_flow_in_history() {
    let e = engine().await;
    e.desk
        .add_client(
            spec("web", "native-public", &e.provider.issuer, "openid email"),
            None,
        )
        .await
        .unwrap();
    let (progress, seen) = recorder();
    let mut opts = LoginOptions::new(GrantType::AuthorizationCode);
    opts.extra_params = vec![
        ("prompt".into(), "consent".into()),
        // Named like a secret: must not be kept for "run again".
        ("client_secret".into(), "typed-by-mistake".into()),
    ];
    let grant = e.desk.login("web", opts, progress).await.unwrap();
    let events = seen.lock().unwrap().clone();

    let urls = events
        .iter()
        .filter(|e| matches!(e, FlowEvent::AuthorizationUrl { .. }))
        .count();
    assert_eq!(
        urls, 1,
        "the authorization URL is reported once: {events:?}"
    );
    let live = exchanges(&events);
    assert!(
        !live
            .iter()
            .any(|(step, _)| step == "authorization request" || step == "callback received"),
        "the browser hand-offs are their own events, not exchanges as well: {live:?}"
    );
    let mut unique = live.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(
        unique.len(),
        live.len(),
        "no exchange is reported twice: {live:?}"
    );
    assert!(
        live.iter()
            .any(|(step, _)| step == "token request (authorization_code)"),
        "the code exchange is on the timeline: {live:?}"
    );

    let history = e.desk.history(Some("web")).await.unwrap();
    let issued = history
        .iter()
        .find(|h| h.kind == "issued")
        .expect("an issued event");
    let Some(FlowEvent::Started { flow_id }) = events.first() else {
        panic!("the first event names the flow: {events:?}");
    };
    assert_eq!(
        issued.flow_id.as_deref(),
        Some(flow_id.as_str()),
        "the event names its flow"
    );
    assert_eq!(
        issued.grant_id.as_deref(),
        Some(grant.id.as_str()),
        "and its grant"
    );
    let saved = e
        .desk
        .flow_transcript(flow_id)
        .await
        .unwrap()
        .expect("the flow's transcript is saved");
    let steps: Vec<&str> = saved.exchanges.iter().map(|x| x.step.as_str()).collect();
    assert_eq!(
        steps
            .iter()
            .filter(|s| **s == "authorization request")
            .count(),
        1,
        "the saved transcript has the authorization request once: {steps:?}"
    );
    assert_eq!(
        steps
            .iter()
            .filter(|s| **s == "token request (authorization_code)")
            .count(),
        1,
        "and the code exchange once: {steps:?}"
    );
    let rerun = issued
        .rerun
        .as_ref()
        .expect("a login event keeps its options");
    assert_eq!(
        rerun.grant,
        GrantType::AuthorizationCode,
        "the grant to run again"
    );
    assert_eq!(
        rerun.extra_params,
        vec![("prompt".to_string(), "consent".to_string())],
        "the flow's own parameters, without the one named like a secret"
    );
    let json = serde_json::to_string(&history).unwrap();
    assert!(
        !json.contains("typed-by-mistake"),
        "no secret-named value reaches History: {json}"
    );
}

#[tokio::test]
async fn a_device_login_reports_only_the_answering_poll_as_an_exchange() {
    let provider = Provider::start();
    let home = tempfile::tempdir().unwrap();
    let mut config =
        DeskConfig::with_secrets(home.path().to_path_buf(), Arc::new(MemoryStore::default()));
    // The test browser approves the user code (it reads its mode from its environment).
    let browser = env!("CARGO_BIN_EXE_oauthdesk-test-browser");
    config.launcher =
        Launcher::Command(format!("env OAUTHDESK_TEST_BROWSER_MODE=device {browser}"));
    let desk = Desk::open(config).await.unwrap();
    desk.add_client(spec("tv", "device", &provider.issuer, "openid"), None)
        .await
        .unwrap();
    let (progress, seen) = recorder();
    let started = std::time::Instant::now();
    desk.login("tv", LoginOptions::new(GrantType::DeviceCode), progress)
        .await
        .unwrap();
    let events = seen.lock().unwrap().clone();
    let polls: Vec<_> = events
        .iter()
        .filter(|x| matches!(x, FlowEvent::Exchange { exchange } if exchange.step == "device token poll"))
        .collect();
    assert_eq!(
        polls.len(),
        1,
        "only the answering poll goes out as an exchange: {polls:?}"
    );
    let FlowEvent::Exchange { exchange } = polls[0] else {
        unreachable!()
    };
    assert_eq!(
        exchange.response.as_ref().map(|r| r.status),
        Some(200),
        "the answer that ended polling"
    );
    assert!(
        events
            .iter()
            .any(|x| matches!(x, FlowEvent::DevicePoll { .. })),
        "polling is reported by its status"
    );
    let flow_id = match events.first() {
        Some(FlowEvent::Started { flow_id }) => flow_id.clone(),
        other => panic!("the first event names the flow: {other:?}"),
    };
    let saved = desk
        .flow_transcript(&flow_id)
        .await
        .unwrap()
        .expect("saved");
    let saved_polls = saved
        .exchanges
        .iter()
        .filter(|x| x.step == "device token poll")
        .count();
    assert!(
        saved_polls >= 1,
        "every poll is still in the saved transcript ({saved_polls})"
    );
    println!(
        "device login took {:?}, {saved_polls} polls saved",
        started.elapsed()
    );
}
