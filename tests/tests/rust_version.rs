//! The workspace's `rust-version` is true: at least what every dependency declares (so an
//! older toolchain fails with cargo's clear message, not with a compile error deep in sqlx),
//! and every member inherits it.

use serde_json::Value;

fn version(v: &str) -> (u64, u64, u64) {
    let mut parts = v.split('.').map(|p| p.parse::<u64>().unwrap_or(0));
    (
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
    )
}

#[test]
fn rust_version_covers_every_dependency() {
    let out = std::process::Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--locked"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "cargo metadata succeeds: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: Value = serde_json::from_slice(&out.stdout).expect("cargo metadata prints JSON");
    let members: Vec<&str> = meta["workspace_members"]
        .as_array()
        .expect("workspace_members is a list")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let packages = meta["packages"].as_array().expect("packages is a list");
    let (ours, theirs): (Vec<&Value>, Vec<&Value>) = packages
        .iter()
        .partition(|p| members.contains(&p["id"].as_str().unwrap_or_default()));
    assert_eq!(
        ours.len(),
        members.len(),
        "every member is among the packages"
    );
    let declared: Vec<(String, Option<&str>)> = ours
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap_or_default().to_owned(),
                p["rust_version"].as_str(),
            )
        })
        .collect();
    let ours_version = declared[0].1.expect("members declare rust-version");
    assert!(
        declared.iter().all(|(_, v)| *v == Some(ours_version)),
        "every member inherits the workspace rust-version: {declared:?}"
    );
    let (needed, by) = theirs
        .iter()
        .filter_map(|p| Some((version(p["rust_version"].as_str()?), p["name"].as_str()?)))
        .max()
        .expect("some dependency declares a rust-version");
    assert!(
        version(ours_version) >= needed,
        "rust-version {ours_version} is below {needed:?}, which {by} declares"
    );
}
