//! Auto-refresh: grants marked for it are refreshed shortly before they expire, for as long as
//! the app runs (the app calls [`Desk::refresh_due`] on a timer and notifies on failures).

use super::{Desk, GrantRef};
use crate::error::Result;
use crate::model::GrantView;
use crate::store;
use serde::Serialize;
use ts_rs::TS;

/// One auto-refresh attempt.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AutoRefreshOutcome {
    pub grant_id: String,
    pub client: String,
    /// The refreshed grant; `null` when the refresh failed.
    pub grant: Option<GrantView>,
    /// What went wrong, in words.
    pub error: Option<String>,
    /// The server refused the refresh (or there is nothing to refresh with): only a new login
    /// helps, and the app offers "Log in again".
    pub needs_login: bool,
}

impl Desk {
    pub async fn set_auto_refresh(&self, grant_id: &str, on: bool) -> Result<GrantView> {
        let (client, rec) = self.resolve_stored(GrantRef::Id(grant_id), false).await?;
        store::grants::set_auto_refresh(&self.db, grant_id, on).await?;
        self.event(
            &client.id,
            Some(grant_id),
            "auto_refresh",
            if on {
                "auto-refresh on"
            } else {
                "auto-refresh off"
            },
        )
        .await;
        Ok(GrantView {
            auto_refresh: on,
            ..rec.view
        })
    }

    /// Refreshes every auto-refresh grant whose access token expires within `margin_secs`
    /// (active, and renewable: a refresh token, or client credentials). A grant whose refresh
    /// failed becomes `needs_login` (as with any refused refresh) and is not retried.
    pub async fn refresh_due(&self, margin_secs: i64) -> Result<Vec<AutoRefreshOutcome>> {
        let by = self.now().saturating_add(margin_secs);
        let due = store::grants::due_for_auto_refresh(&self.db, by).await?;
        let mut out = Vec::new();
        for (id, client) in due {
            let result = self.refresh(GrantRef::Id(&id)).await;
            out.push(match result {
                Ok(view) => AutoRefreshOutcome {
                    grant_id: id,
                    client,
                    grant: Some(view),
                    error: None,
                    needs_login: false,
                },
                Err(e) => {
                    // Stop retrying a grant that cannot be refreshed; the user is told once.
                    let _ = store::grants::set_auto_refresh(&self.db, &id, false).await;
                    AutoRefreshOutcome {
                        grant_id: id,
                        client,
                        grant: None,
                        needs_login: matches!(e, crate::error::CoreError::NeedsLogin { .. }),
                        error: Some(e.to_string()),
                    }
                }
            });
        }
        Ok(out)
    }
}
