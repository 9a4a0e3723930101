//! A minimal container registry (OCI distribution spec / Docker Registry HTTP API V2) behind
//! the gate, serving one image `demo:latest`: `GET /v2/`, its manifest (Docker image manifest
//! V2 schema 2) and its config blob, each with its `Docker-Content-Digest`. Enough for
//! `docker manifest inspect`, which reads credentials and talks to the registry without a
//! daemon.

use super::{Request, Response};
use sha2::{Digest, Sha256};

pub const REPOSITORY: &str = "demo";
pub const TAG: &str = "latest";

const MANIFEST_TYPE: &str = "application/vnd.docker.distribution.manifest.v2+json";

/// The image config blob.
pub fn config_blob() -> Vec<u8> {
    br#"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]},"config":{}}"#
        .to_vec()
}

pub fn digest(bytes: &[u8]) -> String {
    let hash = Sha256::digest(bytes);
    let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// The manifest of `demo:latest`.
pub fn manifest() -> Vec<u8> {
    let config = config_blob();
    serde_json::json!({
        "schemaVersion": 2,
        "mediaType": MANIFEST_TYPE,
        "config": {
            "mediaType": "application/vnd.docker.container.image.v1+json",
            "size": config.len(),
            "digest": digest(&config),
        },
        "layers": [],
    })
    .to_string()
    .into_bytes()
}

pub fn serve(request: &Request) -> Response {
    if !matches!(request.method.as_str(), "GET" | "HEAD") {
        return not_found();
    }
    let api = (
        "Docker-Distribution-API-Version".to_owned(),
        "registry/2.0".to_owned(),
    );
    if request.path == "/v2/" || request.path == "/v2" {
        return Response {
            status: 200,
            headers: vec![api, ("Content-Type".into(), "application/json".into())],
            body: b"{}".to_vec(),
        };
    }
    let manifest = manifest();
    let config = config_blob();
    let (body, content_type) = if request.path == format!("/v2/{REPOSITORY}/manifests/{TAG}")
        || request.path == format!("/v2/{REPOSITORY}/manifests/{}", digest(&manifest))
    {
        (manifest, MANIFEST_TYPE)
    } else if request.path == format!("/v2/{REPOSITORY}/blobs/{}", digest(&config)) {
        (config, "application/octet-stream")
    } else {
        return not_found();
    };
    Response {
        status: 200,
        headers: vec![
            api,
            ("Content-Type".into(), content_type.into()),
            ("Docker-Content-Digest".into(), digest(&body)),
        ],
        body,
    }
}

fn not_found() -> Response {
    Response {
        status: 404,
        headers: vec![("Content-Type".into(), "application/json".into())],
        body: br#"{"errors":[{"code":"MANIFEST_UNKNOWN","message":"unknown","detail":null}]}"#
            .to_vec(),
    }
}
