//! Replays every committed fuzz input — `fuzz/corpus/<target>/` and the fixed crashes in
//! `fuzz/regressions/<target>/` — through the very functions the fuzz targets call
//! (`fuzz/src/lib.rs`, included below), on the stable toolchain. A panic, or a broken property
//! (`redaction`: a secret reaching the redacted body), fails the target's test with the files
//! that failed. Fuzzing itself is `scripts/fuzz` (nightly, cargo-fuzz).

#[path = "../../fuzz/src/lib.rs"]
mod targets;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz")
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.expect("a readable fuzz directory entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

fn message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_else(|| "(a panic without a message)".into())
}

/// Runs `target` on every corpus and regression file of `name`; the corpus must not be empty.
fn replay(name: &str, target: fn(&[u8])) {
    let corpus = files(&fuzz_dir().join("corpus").join(name));
    assert!(
        !corpus.is_empty(),
        "fuzz/corpus/{name}/ has no seed inputs: the target would go unchecked"
    );
    let regressions = files(&fuzz_dir().join("regressions").join(name));
    let mut failures = Vec::new();
    for path in corpus.iter().chain(&regressions) {
        let data = match std::fs::read(path) {
            Ok(data) => data,
            // A running fuzzer replaces inputs it has reduced: gone files are not committed ones.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => panic!("cannot read fuzz input {}: {e}", path.display()),
        };
        if let Err(payload) = catch_unwind(AssertUnwindSafe(|| target(&data))) {
            failures.push(format!("{}: {}", path.display(), message(&*payload)));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fuzz inputs of {name} fail:\n{}",
        failures.len(),
        corpus.len() + regressions.len(),
        failures.join("\n\n")
    );
}

#[test]
fn jwt_decode_corpus() {
    replay("jwt_decode", targets::jwt_decode);
}

#[test]
fn jwt_verify_corpus() {
    replay("jwt_verify", targets::jwt_verify);
}

#[test]
fn token_response_corpus() {
    replay("token_response", targets::token_response);
}

#[test]
fn oauth_response_corpus() {
    replay("oauth_response", targets::oauth_response);
}

#[test]
fn redaction_corpus() {
    replay("redaction", targets::redaction);
}

#[test]
fn postman_import_corpus() {
    replay("postman_import", targets::postman_import);
}

#[test]
fn callback_request_corpus() {
    replay("callback_request", targets::callback_request);
}

#[test]
fn www_authenticate_corpus() {
    replay("www_authenticate", targets::www_authenticate);
}

#[test]
fn mcp_answer_corpus() {
    replay("mcp_answer", targets::mcp_answer);
}

/// The redaction seeds are documents with secrets in them (so the property is exercised, not
/// vacuous): each seed decodes to a body that holds its secret before redaction.
#[test]
fn redaction_seeds_hold_secrets() {
    for path in files(&fuzz_dir().join("corpus/redaction")) {
        let data = std::fs::read(&path).expect("a readable redaction seed");
        if let Some((secret, body)) = targets::redaction_document(&data)
            && body.contains(&secret)
        {
            return;
        }
    }
    panic!("no fuzz/corpus/redaction/ input decodes to a body that contains its secret");
}
