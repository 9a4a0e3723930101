//! The listener for form_post and JWT response modes (JARM): a form POST to the callback path is
//! the response, and in a JWT mode the `response` parameter is handed over for verification.

use super::tests_callback::exp;
use super::*;
use tokio::io::AsyncWriteExt;

fn p(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(k, v)| ((*k).into(), (*v).into()))
        .collect()
}

fn jarm() -> CallbackExpectation {
    CallbackExpectation {
        jarm: true,
        ..exp()
    }
}

#[test]
fn a_jwt_mode_hands_over_the_response_and_refuses_plain_success() {
    let cb = check(&p(&[("response", "h.p.s")]), &jarm()).expect("a response JWT is handed over");
    assert_eq!(
        (cb.get("response"), cb.iss_checked),
        (Some("h.p.s"), false),
        "the JWT is handed over unread; nothing is marked checked yet"
    );
    assert!(
        matches!(
            check(&p(&[("code", "c"), ("state", "s1")]), &jarm()),
            Err(ProtocolError::Jarm(_))
        ),
        "a plain code when a JWT was asked for is refused: it is not signed"
    );
    let denied = check(&p(&[("error", "access_denied"), ("state", "s1")]), &jarm()).unwrap_err();
    assert_eq!(
        denied.oauth().map(|e| e.error.as_str()),
        Some("access_denied"),
        "a plain error with the right state is still explained"
    );
    assert!(
        matches!(
            check(&p(&[("error", "access_denied"), ("state", "zz")]), &jarm()),
            Err(ProtocolError::StateMismatch)
        ),
        "a plain error with a wrong state is a forgery, as always"
    );
    assert!(
        matches!(
            check(&p(&[("response", "h.p.s")]), &exp()),
            Err(ProtocolError::StateMismatch)
        ),
        "a response JWT where none was asked for is not accepted unverified"
    );
}

#[tokio::test]
async fn form_post_is_a_post_to_the_callback_path() {
    let l = LoopbackListener::bind("http://127.0.0.1/callback")
        .await
        .unwrap();
    let port = l.redirect_uri().port().unwrap();
    let waiting = tokio::spawn(async move { l.wait(&jarm(), Duration::from_secs(20)).await });
    let form = "response=h.p.s";
    let mut s = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    s.write_all(
        format!(
            "POST /callback HTTP/1.1\r\nhost: x\r\ncontent-type: application/x-www-form-urlencoded\r\ncontent-length: {}\r\n\r\n{form}",
            form.len()
        )
        .as_bytes(),
    )
    .await
    .unwrap();
    let mut answer = String::new();
    let _ = s.read_to_string(&mut answer).await;
    assert!(
        answer.starts_with("HTTP/1.1 200"),
        "the form post is answered: {answer}"
    );
    let cb = waiting
        .await
        .unwrap()
        .expect("the posted form is the callback");
    assert_eq!(
        cb.get("response"),
        Some("h.p.s"),
        "form_post.jwt: the response JWT comes from the POST body"
    );
}
