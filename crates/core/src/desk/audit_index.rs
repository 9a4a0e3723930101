//! The Audit screen's index: the row ids of the grants a filter selects, newest issued first
//! (`row_index.rs` keeps them until the store or the filter changes). Building it reads one
//! integer per grant, plus the held scope for a scope filter (from an index alone), or the
//! scopes and `authorization_details` when another filter needs them.

use super::audit::{AuditFilter, AuditPage, AuditRow, holds_scope};
use super::row_index::{self, Selection, Shared, SharedClients};
use crate::error::Result;
use crate::store::scan::{Query, Source};

pub type SharedIndex = Shared<(AuditFilter, Query), Selection>;

pub(super) fn page(
    source: &Source,
    index: &SharedIndex,
    clients: &SharedClients,
    filter: &AuditFilter,
    query: Query,
    now: i64,
    (offset, limit): (i64, i64),
) -> Result<AuditPage> {
    let key = (filter.clone(), query.clone());
    let selected = row_index::kept(source, index, key, || {
        if let Some(scope) = filter.scope_alone() {
            return source.issued_holding(&query, &mut |held| holds_scope(held, scope));
        }
        let mut rowids = Vec::new();
        source.grant_keys(&query, filter.needs_keys(), &mut |rowid, view| {
            if view.is_none_or(|v| filter.keeps(&v)) {
                rowids.push(rowid);
            }
        })?;
        Ok(rowids)
    })?;
    let clients = row_index::clients_with_grants(source, clients)?;
    let (total, offset, grants) = row_index::page_of(source, &selected, offset, limit)?;
    let rows = grants.iter().map(|v| AuditRow::of(v, now)).collect();
    Ok(AuditPage {
        total,
        clients: clients.to_vec(),
        offset,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::scan::tests::{add_grant, store_with_grants};

    fn ids(p: &AuditPage) -> Vec<&str> {
        p.rows.iter().map(|r| r.grant_id.as_str()).collect()
    }

    #[tokio::test]
    async fn pages_are_windows_of_the_filtered_grants_and_follow_every_write() {
        // "old" (0) and "new" (60) as requested; three more, one of them over-privileged.
        let (_home, pool, source) = store_with_grants().await;
        add_grant(&pool, "g2", 120, "openid", Some("openid admin")).await;
        add_grant(&pool, "g3", 180, "openid email", Some("openid")).await;
        add_grant(&pool, "g4", 240, "openid", None).await;
        let (index, clients) = (SharedIndex::default(), SharedClients::default());
        let at = |filter: &AuditFilter, query: Query, window: (i64, i64)| {
            page(&source, &index, &clients, filter, query, 0, window).expect("a page")
        };
        let all = AuditFilter::default();
        let p = at(&all, Query::default(), (1, 2));
        assert_eq!(p.total, 5, "the total counts every grant, not the page");
        assert_eq!(
            p.clients,
            ["demo"],
            "with the clients that have grants, for the filter"
        );
        assert_eq!(
            ids(&p),
            ["g3", "g2"],
            "the window from offset 1, newest first"
        );

        let over = AuditFilter {
            over_privileged: true,
            ..Default::default()
        };
        let p = at(&over, Query::default(), (0, 100));
        assert_eq!(
            ids(&p),
            ["g2", "new", "old"],
            "only grants that got more than they asked: a scope (g2), authorization_details never requested (new, old)"
        );
        assert!(p.rows[0].over_privileged, "and its row says so");
        let admin_over = AuditFilter {
            scope: Some("admin".into()),
            over_privileged: true,
            ..Default::default()
        };
        assert_eq!(
            ids(&at(&admin_over, admin_over.query(None, 0), (0, 100))),
            ["g2"],
            "a scope with another filter is judged on the whole keys (only g2 holds admin)"
        );
        let email = AuditFilter {
            scope: Some("email".into()),
            ..Default::default()
        };
        let p = at(&email, Query::default(), (0, 100));
        assert_eq!(
            p.total, 0,
            "a scope asked for but not granted does not match (g3 asked email, got openid)"
        );

        // The scope prefilter (SQLite's instr) only narrows: a longer scope holding the text is
        // not a match, and a grant with no granted scope is judged on the one it asked for.
        add_grant(&pool, "g-longer", 200, "openid", Some("openid emails")).await;
        add_grant(&pool, "g-asked", 210, "openid email", None).await;
        let email_query = email.query(None, 0);
        assert_eq!(
            email_query.scope_contains.as_deref(),
            Some("email"),
            "SQLite prefilters on the text"
        );
        let p = at(&email, email_query, (0, 100));
        assert_eq!(
            ids(&p),
            ["g-asked"],
            "`emails` contains the text but is another scope; a grant without a reported scope has the one it asked for"
        );
        sqlx::query("DELETE FROM grants WHERE id IN ('g-longer', 'g-asked')")
            .execute(&pool)
            .await
            .expect("a delete");

        let far = at(&all, Query::default(), (99, 10));
        assert!(
            far.rows.is_empty() && far.total == 5 && far.offset == 5,
            "an offset past the end gives no rows and the total, clamped"
        );
        let huge = at(&all, Query::default(), (0, i64::MAX));
        assert_eq!(
            huge.rows.len(),
            5,
            "a huge limit is clamped, not an overflow"
        );

        // Another connection writes: the kept index must not answer for the old store.
        add_grant(&pool, "g5", 300, "openid", Some("openid admin")).await;
        let p = at(&over, Query::default(), (0, 100));
        assert_eq!(
            ids(&p),
            ["g5", "g2", "new", "old"],
            "a grant written after the index was built is found (data_version)"
        );
        sqlx::query("DELETE FROM grants WHERE id = 'g5'")
            .execute(&pool)
            .await
            .expect("a delete");
        let p = at(&over, Query::default(), (0, 100));
        assert_eq!(
            ids(&p),
            ["g2", "new", "old"],
            "a deleted grant is gone from the next page"
        );
    }
}
