//! The checks: `inspect` (a grant's tokens and scopes), `decode` (any token), `audit` (every
//! grant) and `report` (where a provider departs from the specs). `inspect` and `decode` exit 4
//! when a check fails.

use super::read_stdin_secret;
use crate::args::{AuditArgs, DecodeArgs, InspectArgs};
use crate::output;
use oauthdesk_core::desk::{AuditFilter, AuditFormat, InspectOptions, VerifyOptions};
use oauthdesk_core::protocol::PastedToken;
use oauthdesk_core::{CoreError, Desk, GrantRef};

/// The exit code of `inspect` and `decode`: 4 when a check failed.
fn checks_exit(failed: u32) -> u8 {
    if failed > 0 { 4 } else { 0 }
}

pub async fn inspect(desk: &Desk, a: InspectArgs) -> Result<u8, CoreError> {
    let which = match &a.grant {
        Some(id) => GrantRef::Id(id),
        None => GrantRef::Current(&a.name),
    };
    let inspection = desk
        .inspect(
            which,
            InspectOptions {
                introspect: !a.no_introspect,
            },
        )
        .await?;
    if a.json {
        output::json(&inspection)
    } else {
        output::inspection(&inspection)
    }
    Ok(checks_exit(inspection.failed))
}

pub async fn decode(desk: &Desk, a: DecodeArgs, now: i64) -> Result<u8, CoreError> {
    let token = match a.token.as_deref() {
        None | Some("-") => read_stdin_secret("token")?,
        Some(t) => PastedToken::new(t),
    };
    let keys = match &a.jwks {
        Some(path) => Some(std::fs::read_to_string(path).map_err(|e| {
            CoreError::InvalidInput(format!("cannot read {}: {e}", path.display()))
        })?),
        None => None,
    };
    let v = desk
        .verify_token(
            token.expose(),
            VerifyOptions {
                issuer: a.issuer,
                keys,
                client: a.client,
                nonce: a.nonce,
                skew_secs: a.skew,
                ..Default::default()
            },
        )
        .await?;
    if a.json {
        output::json(&v)
    } else {
        output::verification(&v, now)
    }
    Ok(checks_exit(v.failed))
}

/// The table, or with `--json`, `--csv` or `--markdown` the export in that format.
pub async fn audit(desk: &Desk, a: AuditArgs, now: i64) -> Result<u8, CoreError> {
    let filter = AuditFilter {
        client: a.client,
        scope: a.scope,
        expiring_within_secs: a.expiring,
        over_privileged: a.over_privileged,
        hide_revoked: a.hide_revoked,
        authorization_details_type: a.authorization_details_type,
    };
    let format = if a.json {
        Some(AuditFormat::Json)
    } else if a.csv {
        Some(AuditFormat::Csv)
    } else if a.markdown {
        Some(AuditFormat::Markdown)
    } else {
        None
    };
    match format {
        // Streamed row by row to stdout: no document is held whole.
        Some(f) => {
            let out = output::bulk_stdout();
            desk.write_audit(&filter, f, out)
                .await
                .map_err(output::bulk_failed)?;
        }
        None => output::audit(&desk.audit(&filter).await?, now),
    }
    Ok(0)
}

pub async fn report(desk: &Desk, name: &str, json: bool) -> Result<u8, CoreError> {
    let report = desk.provider_report(name).await?;
    if json {
        output::json(&report)
    } else {
        output::report(&report)
    }
    Ok(0)
}
