//! Rich authorization requests (RFC 9396) outside a login: a client's default
//! `authorization_details`, and what a grant asked for beside what it got — for the grant views
//! and the audit (per type, like scopes: which grants hold it; a finding when the server
//! granted more than asked).

use super::Desk;
use super::login::rar::client_default;
use crate::error::Result;
use crate::model::{Client, GrantView};
use crate::store;
use oauthdesk_protocol::rar::{self, DetailComparison};
use serde_json::Value;

pub use super::login::rar::parse_option as parse_authorization_details;

impl Desk {
    /// Sets (or with `None`, removes) a client's default `authorization_details`, checked first.
    pub async fn set_client_authorization_details(
        &self,
        name: &str,
        details: Option<Value>,
    ) -> Result<Client> {
        let mut client = self.client(name).await?;
        client.authorization_details = client_default(details.as_ref())?;
        store::clients::update(&self.db, &client, self.now()).await?;
        let detail = match &client.authorization_details {
            Some(d) => format!("authorization_details set ({})", rar::types(d).join(", ")),
            None => "authorization_details removed".into(),
        };
        self.event(&client.id, None, "client_updated", &detail)
            .await;
        Ok(client)
    }
}

/// A grant's details, requested beside granted, per type (empty when the server said nothing).
pub fn compare_grant(v: &GrantView) -> Vec<DetailComparison> {
    rar::compare(
        v.authorization_details_requested.as_ref(),
        v.authorization_details_granted.as_ref(),
    )
}

/// The types a grant holds: those granted, else (the server said nothing, §7) those requested.
pub fn held_types(v: &GrantView) -> Vec<String> {
    v.authorization_details_granted
        .as_ref()
        .or(v.authorization_details_requested.as_ref())
        .map(rar::types)
        .unwrap_or_default()
}

/// One audit cell: "type: status" for each type.
pub(super) fn audit_cell(comparisons: &[DetailComparison], held: &[String]) -> String {
    if comparisons.is_empty() {
        return held.join(" ");
    }
    comparisons
        .iter()
        .map(|c| {
            let status = serde_json::to_value(c.status)
                .ok()
                .and_then(|s| s.as_str().map(str::to_owned))
                .unwrap_or_default();
            format!("{}: {status}", c.type_)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
pub(crate) mod tests {
    use crate::model::GrantView;

    /// A grant with scopes `openid`, as asked and granted.
    pub(crate) fn view() -> GrantView {
        GrantView {
            id: "g-1".into(),
            client: "demo".into(),
            scopes_requested: "openid".into(),
            scopes_granted: Some("openid".into()),
            token_type: "Bearer".into(),
            has_access_token: true,
            ..GrantView::blank()
        }
    }

    #[test]
    fn held_types_are_the_granted_else_the_requested() {
        let mut v = view();
        v.authorization_details_requested = Some(serde_json::json!([{"type": "asked"}]));
        assert_eq!(
            super::held_types(&v),
            vec!["asked"],
            "the server said nothing: requested"
        );
        v.authorization_details_granted = Some(serde_json::json!([{"type": "got"}]));
        assert_eq!(super::held_types(&v), vec!["got"], "what was granted");
    }
}
