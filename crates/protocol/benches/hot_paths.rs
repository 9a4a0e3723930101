//! The per-request hot paths: parsing a token response, redacting a transcript body, decoding a
//! JWT, and building an authorization URL. `cargo bench -p oauthdesk-protocol`.

use criterion::{Criterion, criterion_group, criterion_main};
use oauthdesk_protocol::authorize::{AuthorizationParams, build_authorization_request};
use oauthdesk_protocol::grant::parse_token_response;
use oauthdesk_protocol::http::HttpResponse;
use oauthdesk_protocol::{jose, transcript};
use std::hint::black_box;

const ID_TOKEN: &str = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJpc3MiOiJodHRwczovL2FzLmV4YW1wbGUiLCJzdWIiOiJhbGljZSIsImF1ZCI6ImNpZCIsImV4cCI6MTc2NDAwMDAwMCwiaWF0IjoxNzY0MDAwMDAwLCJub25jZSI6Im4iLCJlbWFpbCI6ImFsaWNlQGV4YW1wbGUudGVzdCJ9.c2lnbmF0dXJlLXNpZ25hdHVyZS1zaWduYXR1cmUtc2lnbmF0dXJl";

fn token_body() -> String {
    format!(
        r#"{{"access_token":"{a}","token_type":"Bearer","expires_in":3600,"refresh_token":"{r}","id_token":"{ID_TOKEN}","scope":"openid email profile"}}"#,
        a = "a".repeat(43),
        r = "r".repeat(43)
    )
}

fn benches(c: &mut Criterion) {
    let body = token_body();
    let resp = HttpResponse {
        url: "https://as.example/token".into(),
        status: 200,
        headers: vec![("content-type".into(), "application/json".into())],
        body: body.clone().into_bytes(),
    };
    c.bench_function("parse_token_response", |b| {
        b.iter(|| parse_token_response(black_box(&resp)).unwrap())
    });
    c.bench_function("redact_body (token response)", |b| {
        b.iter(|| transcript::redact_body(black_box(&body)))
    });
    c.bench_function("jose::decode (ID token)", |b| {
        b.iter(|| jose::decode(black_box(ID_TOKEN)).unwrap())
    });
    c.bench_function("build_authorization_request", |b| {
        b.iter(|| {
            build_authorization_request(black_box(&AuthorizationParams {
                endpoint: "https://as.example/authorize",
                client_id: "client",
                redirect_uri: "http://127.0.0.1:53123/callback",
                response_type: "code",
                scope: "openid email profile",
                response_mode: None,
                pkce: true,
                extra: &[],
            }))
            .unwrap()
        })
    });
}

criterion_group!(hot, benches);
criterion_main!(hot);
