//! The Tokens screen's list: pages of grants, latest activity first, from a row-id index kept
//! until the store changes (`row_index.rs`), with the total and the clients that have grants.
//! Only the page in view crosses IPC: with 100 000 grants a page costs what it costs with 100.

use super::Desk;
use super::row_index::{self, Selection, Shared, SharedClients};
use crate::error::Result;
use crate::grant_state::TokenStates;
use crate::model::{GrantPage, GrantSummary, GrantView};
use crate::store::scan::{Order, Query, Source};

pub type SharedList = Shared<Query, Selection>;

impl Desk {
    /// Grants of `client` (all when `None`) from `offset`, at most `limit` (clamped to
    /// `0..=row_index::MAX_PAGE`), with the total and the clients that have grants.
    pub async fn grant_page(
        &self,
        client: Option<&str>,
        offset: i64,
        limit: i64,
    ) -> Result<GrantPage> {
        let query = Query {
            client_id: self.client_row_id(client).await?,
            order: Order::Activity,
            ..Default::default()
        };
        let (source, index, now) = (self.scan.clone(), self.grant_list.clone(), self.now());
        let clients = self.clients_with_grants.clone();
        self.blocking(move || page(&source, &index, &clients, query, now, offset, limit))
            .await
    }

    /// Every grant of `client` (all when `None`) as a list row, latest activity first (Call
    /// API's grant picker), read on the scan connection like the pages.
    pub async fn grant_summaries(&self, client: Option<&str>) -> Result<Vec<GrantSummary>> {
        let query = Query {
            client_id: self.client_row_id(client).await?,
            order: Order::Activity,
            ..Default::default()
        };
        let now = self.now();
        self.scan_grants(query, Vec::new(), move |rows, v| {
            rows.push(summary(v, now));
            Ok(true)
        })
        .await
    }

    /// Builds what the Tokens and Audit screens' first view (every grant, no filter) needs, in
    /// the background after start-up, so the first page either screen asks for reads only its
    /// own rows: with 100 000 grants that is tens of milliseconds of SQLite taken off the first
    /// click. A later write only makes the next page build them again.
    pub async fn warm_lists(&self) -> Result<()> {
        self.grant_page(None, 0, 0).await?;
        self.audit_page(&super::AuditFilter::default(), 0, 0)
            .await?;
        Ok(())
    }
}

fn page(
    source: &Source,
    index: &SharedList,
    clients: &SharedClients,
    query: Query,
    now: i64,
    offset: i64,
    limit: i64,
) -> Result<GrantPage> {
    let list = row_index::kept(source, index, query.clone(), || {
        let mut rowids = Vec::new();
        source.grant_keys(&query, false, &mut |rowid, _| rowids.push(rowid))?;
        Ok(rowids)
    })?;
    let clients = row_index::clients_with_grants(source, clients)?;
    let (total, offset, grants) = row_index::page_of(source, &list, offset, limit)?;
    let rows = grants.into_iter().map(|v| summary(v, now)).collect();
    Ok(GrantPage {
        total,
        clients: clients.to_vec(),
        offset,
        rows,
    })
}

/// A list row: the view's summary fields and its token states at `now`.
fn summary(v: GrantView, now: i64) -> GrantSummary {
    GrantSummary {
        tokens: TokenStates::of_view(&v, now),
        id: v.id,
        client: v.client,
        grant_type: v.grant_type,
        status: v.status,
        scopes_requested: v.scopes_requested,
        scopes_granted: v.scopes_granted,
        has_access_token: v.has_access_token,
        has_refresh_token: v.has_refresh_token,
        expires_at: v.expires_at,
        issued_at: v.issued_at,
        refreshed_at: v.refreshed_at,
        revoked_at: v.revoked_at,
        subject: v.subject,
        last_used_at: v.last_used_at,
        last_used_by: v.last_used_by,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::scan::tests::{add_grant, store_with_grants};

    fn ids(p: &GrantPage) -> Vec<&str> {
        p.rows.iter().map(|r| r.id.as_str()).collect()
    }

    fn all() -> Query {
        Query {
            order: Order::Activity,
            ..Default::default()
        }
    }

    async fn exec(pool: &sqlx::SqlitePool, sql: &'static str) {
        sqlx::query(sql).execute(pool).await.expect("a write");
    }

    #[tokio::test]
    async fn pages_follow_activity_and_every_write() {
        // "old" issued at 0, "new" at 60 (client c1 "demo"); g2 at 120, g3 at 180.
        let (_home, pool, source) = store_with_grants().await;
        add_grant(&pool, "g2", 120, "openid", Some("openid")).await;
        add_grant(&pool, "g3", 180, "openid", Some("openid")).await;
        exec(
            &pool,
            "UPDATE grants SET refreshed_at = 500, expires_at = 2000 WHERE id = 'old'",
        )
        .await;
        let (index, clients) = (SharedList::default(), SharedClients::default());

        let p = page(&source, &index, &clients, all(), 1000, 0, 100).expect("a page");
        assert_eq!(
            ids(&p),
            ["old", "g3", "g2", "new"],
            "latest activity first: the grant refreshed at 500 before those issued later"
        );
        assert_eq!(p.total, 4, "the total counts every grant");
        assert_eq!(p.clients, ["demo"], "the clients that have grants");
        let t = &p.rows[0].tokens;
        assert!(
            t.usable && t.access_expires_at == Some(2000),
            "a row carries its token states at `now` (1000: the access token expires at 2000)"
        );
        let later = page(&source, &index, &clients, all(), 2000, 0, 1).expect("a page");
        assert!(
            !later.rows[0].tokens.usable,
            "at 2000 the same row's access token has expired (the kept index holds no states)"
        );

        let w = page(&source, &index, &clients, all(), 1000, 1, 2).expect("a page");
        assert_eq!(ids(&w), ["g3", "g2"], "the window from offset 1");
        assert_eq!((w.total, w.offset), (4, 1), "with the total and its offset");
        let none = page(&source, &index, &clients, all(), 1000, 0, -1).expect("a page");
        assert!(
            none.rows.is_empty() && none.total == 4,
            "a negative limit reads no rows (it no longer means every row)"
        );

        // Another connection writes: the kept index must not answer for the old store.
        add_grant(&pool, "g4", 900, "openid", None).await;
        let p = page(&source, &index, &clients, all(), 1000, 0, 1).expect("a page");
        assert_eq!(
            (ids(&p), p.total),
            (vec!["g4"], 5),
            "a grant written after the index was built is first and counted"
        );
        exec(&pool, "INSERT INTO clients (id, name, client_id, auth_method, redirect_uri, created_at, updated_at) \
             VALUES ('c2', 'other', 'other', 'none', 'http://127.0.0.1/cb', 0, 0)").await;
        exec(&pool, "UPDATE grants SET client_id = 'c2' WHERE id = 'g2'").await;
        let p = page(&source, &index, &clients, all(), 1000, 0, 100).expect("a page");
        assert_eq!(
            p.clients,
            ["demo", "other"],
            "a client with grants joins the filter's list"
        );
        let other = Query {
            client_id: Some("c2".into()),
            ..all()
        };
        let p = page(&source, &index, &clients, other, 1000, 0, 100).expect("a page");
        assert_eq!(
            (ids(&p), p.total),
            (vec!["g2"], 1),
            "a client's page holds only its grants, and its total only counts them"
        );
        exec(&pool, "DELETE FROM grants WHERE id = 'g2'").await;
        let p = page(&source, &index, &clients, all(), 1000, 0, 100).expect("a page");
        assert_eq!(
            (p.total, p.clients.clone()),
            (4, vec!["demo".to_string()]),
            "a deleted grant is gone, and a client left without grants leaves the list"
        );
    }
}

#[cfg(test)]
mod warm_tests {
    #[tokio::test]
    async fn warming_builds_both_first_views() {
        let (_home, desk) = super::super::test_desk::open().await;
        desk.warm_lists()
            .await
            .expect("warming an empty store works");
        assert!(
            desk.grant_list.lock().expect("unpoisoned").is_some(),
            "the Tokens list's index is built"
        );
        assert!(
            desk.audit_index.lock().expect("unpoisoned").is_some(),
            "the Audit screen's index is built"
        );
        let page = desk.grant_page(None, 0, 100).await.expect("a page");
        assert_eq!(page.total, 0, "the warmed index answers the first page");
    }
}
