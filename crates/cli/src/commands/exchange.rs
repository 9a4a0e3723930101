//! `oauthdesk exchange`: RFC 8693 token exchange, the subject (and actor) taken from a grant or
//! from stdin; the issued token becomes a grant of the exchanging client.

use super::{grant_id_of, read_stdin_secret};
use crate::args::ExchangeArgs;
use crate::output;
use oauthdesk_core::desk::{ExchangeRequest, TokenKind, TokenSource};
use oauthdesk_core::{CoreError, Desk};

pub async fn exchange(desk: &Desk, a: ExchangeArgs, now: i64) -> Result<u8, CoreError> {
    let ExchangeArgs {
        name,
        subject,
        subject_token,
        subject_token_stdin,
        subject_token_type,
        actor,
        requested_token_type,
        audience,
        resource,
        scope,
        json,
    } = a;
    let subject = if subject_token_stdin {
        TokenSource::Pasted {
            token: read_stdin_secret("subject token")?,
            token_type: subject_token_type.unwrap_or_default(),
        }
    } else {
        let s = subject.unwrap_or_default();
        TokenSource::Grant {
            grant_id: grant_id_of(desk, &s).await?,
            token: kind(&subject_token),
        }
    };
    let actor = match actor {
        Some(a) => Some(TokenSource::Grant {
            grant_id: grant_id_of(desk, &a).await?,
            token: TokenKind::Access,
        }),
        None => None,
    };
    let view = desk
        .exchange(
            &name,
            ExchangeRequest {
                subject,
                actor,
                requested_token_type,
                audience,
                resource,
                scope,
            },
        )
        .await?;
    if json {
        output::json(&view)
    } else {
        output::grant_summary("Exchanged", &view, now)
    }
    Ok(0)
}

/// `--subject-token`: `access`, `id` or `refresh` (clap allows no other value).
fn kind(s: &str) -> TokenKind {
    match s {
        "id" => TokenKind::Id,
        "refresh" => TokenKind::Refresh,
        _ => TokenKind::Access,
    }
}
