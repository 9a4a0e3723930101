//! `oauthdesk kubectl NAME`: a kubectl exec credential plugin (client-go's exec protocol,
//! `client.authentication.k8s.io` v1 and v1beta1). kubectl runs it with `KUBERNETES_EXEC_INFO`
//! (an `ExecCredential` whose `spec` says whether it may prompt and, with `provideClusterInfo`,
//! which cluster it talks to) and reads an `ExecCredential` with `status.token` and
//! `status.expirationTimestamp` from stdout; stderr is shown to the user.

use super::relogin::token_or_login;
use crate::args::{ExecApiVersion, KUBECTL_MIN_TTL, KubectlArgs};
use crate::output::{self, outln};
use oauthdesk_core::desk::{Handoff, iso8601};
use oauthdesk_core::{CoreError, Desk};
use serde_json::{Value, json};
use std::io::IsTerminal;

/// What kubectl says about the call in `KUBERNETES_EXEC_INFO`.
#[derive(Debug, PartialEq, Eq)]
pub struct ExecInfo {
    pub api_version: ExecApiVersion,
    /// `spec.interactive` (kubectl ≥ 1.22); `None` when not said (kubectl 1.20 and 1.21).
    pub interactive: Option<bool>,
    /// `spec.cluster.server` without userinfo, query or fragment, when kubectl sent the
    /// cluster (`provideClusterInfo: true`).
    pub server: Option<String>,
}

/// A larger `KUBERNETES_EXEC_INFO` is refused: the cluster part carries a CA bundle at most.
const MAX_EXEC_INFO: usize = 1 << 20;

/// Reads `KUBERNETES_EXEC_INFO`; no variable (a hand run, or an old kubectl) means v1beta1.
pub fn parse_exec_info(raw: Option<&str>) -> Result<ExecInfo, String> {
    let Some(raw) = raw.filter(|r| !r.trim().is_empty()) else {
        return Ok(ExecInfo {
            api_version: ExecApiVersion::V1beta1,
            interactive: None,
            server: None,
        });
    };
    if raw.len() > MAX_EXEC_INFO {
        return Err(format!(
            "KUBERNETES_EXEC_INFO is {} bytes, more than the {MAX_EXEC_INFO} an ExecCredential takes",
            raw.len()
        ));
    }
    let info: Value = serde_json::from_str(raw)
        .map_err(|e| format!("KUBERNETES_EXEC_INFO is not an ExecCredential (JSON): {e}"))?;
    let api_version = match info.get("apiVersion").and_then(Value::as_str) {
        Some("client.authentication.k8s.io/v1") => ExecApiVersion::V1,
        Some("client.authentication.k8s.io/v1beta1") | None => ExecApiVersion::V1beta1,
        Some(other) => {
            return Err(format!(
                "kubectl asks for an ExecCredential of apiVersion {:?}; this plugin speaks client.authentication.k8s.io/v1 and v1beta1",
                output::safe(&other.chars().take(100).collect::<String>())
            ));
        }
    };
    let spec = info.get("spec");
    let interactive = spec
        .and_then(|s| s.get("interactive"))
        .and_then(Value::as_bool);
    let server = spec
        .and_then(|s| s.get("cluster"))
        .and_then(|c| c.get("server"))
        .and_then(Value::as_str)
        .and_then(server_name);
    Ok(ExecInfo {
        api_version,
        interactive,
        server,
    })
}

/// The cluster's URL as the history shows it: scheme, host, port and path only (a server URL
/// could carry a password in its userinfo).
fn server_name(server: &str) -> Option<String> {
    let mut url = url::Url::parse(server.trim()).ok()?;
    url.host_str()?;
    url.set_username("").ok()?;
    url.set_password(None).ok()?;
    url.set_query(None);
    url.set_fragment(None);
    Some(url.as_str().trim_end_matches('/').to_owned())
}

/// The `ExecCredential` kubectl reads: the token, and its expiry (RFC 3339, UTC) when known, so
/// kubectl asks again once it passes.
pub fn exec_credential(api: ExecApiVersion, token: &str, expires_at: Option<i64>) -> Value {
    let mut status = json!({ "token": token });
    if let Some(at) = expires_at {
        status["expirationTimestamp"] = Value::String(iso8601(at));
    }
    json!({
        "kind": "ExecCredential",
        "apiVersion": api.api_version(),
        "spec": {},
        "status": status,
    })
}

pub async fn kubectl(desk: &Desk, a: KubectlArgs) -> Result<u8, CoreError> {
    if a.kubeconfig_snippet {
        desk.client(&a.name).await?;
        let command = match std::env::current_exe() {
            Ok(path) => path.to_string_lossy().into_owned(),
            Err(e) => {
                output::errln!(
                    "oauthdesk: cannot tell where this binary is ({e}); the snippet says `oauthdesk`, found on PATH"
                );
                "oauthdesk".to_owned()
            }
        };
        // The global `--env NAME` is not among these arguments: read it from the command line
        // again, so the plugin kubectl runs uses the same environment's `{{variables}}`.
        let env = <crate::args::Cli as clap::Parser>::try_parse()
            .ok()
            .and_then(|c| c.env);
        outln!("{}", kubeconfig_snippet(&a, &command, env.as_deref()));
        return Ok(0);
    }
    let raw = std::env::var("KUBERNETES_EXEC_INFO").ok();
    let info = parse_exec_info(raw.as_deref()).map_err(CoreError::InvalidInput)?;
    // kubectl says whether the user can answer (it then hands us its terminal); an old kubectl
    // does not say, and then our own stdin tells.
    let interactive = info
        .interactive
        .unwrap_or_else(|| std::io::stdin().is_terminal());
    let handoff = Handoff::new("kubectl", info.server.clone());
    let handed = token_or_login(
        desk,
        &a.name,
        handoff,
        a.min_ttl,
        a.login_if_needed || interactive,
    )
    .await?;
    if handed.is_dpop() {
        return Err(CoreError::InvalidInput(format!(
            "{}: the access token is DPoP-bound (RFC 9449); kubectl sends bearer tokens only, so the API server would refuse it. Use a client without --dpop for kubectl",
            a.name
        )));
    }
    let credential = exec_credential(info.api_version, handed.token.expose(), handed.expires_at);
    outln!("{credential}");
    Ok(0)
}

/// The kubeconfig `users[].user.exec` block that runs this binary as the plugin. Strings are
/// written as YAML double-quoted scalars (JSON's escapes are YAML's), so any path or name reads
/// back as it was.
pub fn kubeconfig_snippet(a: &KubectlArgs, command: &str, env: Option<&str>) -> String {
    let quote = |s: &str| Value::String(s.to_owned()).to_string();
    let mut args = vec!["kubectl".to_owned(), a.name.clone()];
    if let Some(env) = env {
        args.extend(["--env".into(), env.to_owned()]);
    }
    if a.login_if_needed {
        args.push("--login-if-needed".into());
    }
    if a.min_ttl != KUBECTL_MIN_TTL {
        args.extend(["--min-ttl".into(), a.min_ttl.to_string()]);
    }
    let mut out = format!(
        "exec:\n  apiVersion: {}\n  command: {}\n  args:\n",
        a.api_version.api_version(),
        quote(command)
    );
    for arg in &args {
        out.push_str(&format!("  - {}\n", quote(arg)));
    }
    out.push_str("  interactiveMode: IfAvailable\n  provideClusterInfo: false");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exec_info_of_each_kubectl_generation() {
        let v1 = r#"{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"cluster":{"server":"https://admin:pw@127.0.0.1:6443/?x=1","config":null},"interactive":false}}"#;
        assert_eq!(
            parse_exec_info(Some(v1)),
            Ok(ExecInfo {
                api_version: ExecApiVersion::V1,
                interactive: Some(false),
                server: Some("https://127.0.0.1:6443".into()),
            }),
            "kubectl ≥ 1.22 with provideClusterInfo: v1, not interactive, the server without its password"
        );
        let old = r#"{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1beta1","spec":{}}"#;
        assert_eq!(
            parse_exec_info(Some(old)),
            Ok(ExecInfo {
                api_version: ExecApiVersion::V1beta1,
                interactive: None,
                server: None,
            }),
            "kubectl 1.20 says nothing about interactivity"
        );
        assert_eq!(
            parse_exec_info(None).map(|i| i.api_version),
            Ok(ExecApiVersion::V1beta1),
            "no KUBERNETES_EXEC_INFO: v1beta1"
        );
    }

    #[test]
    fn hostile_exec_info_is_refused_in_words() {
        let e = parse_exec_info(Some(
            r#"{"apiVersion":"client.authentication.k8s.io/v2\u001b]0;x"}"#,
        ))
        .expect_err("an unknown apiVersion is refused");
        assert!(
            e.contains("v1 and v1beta1") && !e.contains('\u{1b}'),
            "the refusal names what is spoken and quotes the version escaped: {e:?}"
        );
        assert!(
            parse_exec_info(Some("{not json")).is_err(),
            "a broken variable is an error, not a guess"
        );
        let huge = format!("{{\"x\":\"{}\"}}", "a".repeat(MAX_EXEC_INFO));
        assert!(parse_exec_info(Some(&huge)).is_err(), "size is bounded");
        let odd = r#"{"apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":"yes","cluster":{"server":42}}}"#;
        assert_eq!(
            parse_exec_info(Some(odd)),
            Ok(ExecInfo {
                api_version: ExecApiVersion::V1,
                interactive: None,
                server: None,
            }),
            "fields of the wrong type are ignored, not trusted"
        );
    }

    #[test]
    fn credential_carries_token_and_rfc3339_expiry() {
        let c = exec_credential(ExecApiVersion::V1, "tok", Some(1_800_000_000));
        assert_eq!(c["apiVersion"], "client.authentication.k8s.io/v1");
        assert_eq!(c["kind"], "ExecCredential");
        assert_eq!(c["status"]["token"], "tok");
        assert_eq!(
            c["status"]["expirationTimestamp"], "2027-01-15T08:00:00Z",
            "expiry in RFC 3339 UTC"
        );
        let c = exec_credential(ExecApiVersion::V1beta1, "tok", None);
        assert!(
            c["status"].get("expirationTimestamp").is_none(),
            "no expiry known: none claimed"
        );
    }

    #[test]
    fn snippet_quotes_what_it_writes() {
        let a = KubectlArgs {
            name: "my \"cluster\"".into(),
            login_if_needed: true,
            min_ttl: KUBECTL_MIN_TTL,
            kubeconfig_snippet: true,
            api_version: ExecApiVersion::V1,
        };
        let s = kubeconfig_snippet(&a, "/opt/o d/oauthdesk", None);
        assert!(s.starts_with("exec:\n  apiVersion: client.authentication.k8s.io/v1\n"));
        assert!(s.contains("  command: \"/opt/o d/oauthdesk\"\n"), "{s}");
        assert!(
            s.contains("  - \"kubectl\"\n  - \"my \\\"cluster\\\"\"\n  - \"--login-if-needed\"\n"),
            "{s}"
        );
        assert!(
            s.contains("interactiveMode: IfAvailable") && s.contains("provideClusterInfo: false"),
            "v1 requires interactiveMode: {s}"
        );
        let s = kubeconfig_snippet(&a, "/usr/bin/oauthdesk", Some("prod"));
        assert!(
            s.contains("  - \"--env\"\n  - \"prod\"\n"),
            "the environment chosen with --env goes into the plugin's arguments: {s}"
        );
    }
}
