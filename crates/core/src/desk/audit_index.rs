//! The Audit screen's index: the row ids of the grants a filter selects, newest first, kept
//! between page requests until the store changes (SQLite's `data_version` on the scan
//! connection) or the filter does. Building it reads one integer per grant, plus the scopes and
//! `authorization_details` when a filter needs them; a page then reads only its own rows.

use super::audit::{AuditFilter, AuditPage, AuditRow};
use crate::error::Result;
use crate::store::scan::{Query, Source};
use std::sync::{Arc, Mutex};

/// Most rows one page returns.
pub const MAX_PAGE: i64 = 1000;

#[derive(Debug, Default)]
pub struct AuditIndex {
    filter: AuditFilter,
    query: Query,
    version: i64,
    rowids: Arc<Vec<i64>>,
}

pub type SharedIndex = Arc<Mutex<Option<AuditIndex>>>;

pub(super) fn page(
    source: &Source,
    index: &SharedIndex,
    filter: &AuditFilter,
    query: Query,
    now: i64,
    offset: i64,
    limit: i64,
) -> Result<AuditPage> {
    let rowids = rowids(source, index, filter, query)?;
    let total = i64::try_from(rowids.len()).unwrap_or(i64::MAX);
    let offset = offset.clamp(0, total);
    let end = offset.saturating_add(limit.clamp(0, MAX_PAGE)).min(total);
    let window = usize::try_from(offset).unwrap_or(0)..usize::try_from(end).unwrap_or(0);
    let rows = source
        .grants_by_rowid(rowids.get(window).unwrap_or_default())?
        .iter()
        .map(|v| AuditRow::of(v, now))
        .collect();
    Ok(AuditPage {
        total,
        offset,
        rows,
    })
}

/// The kept row ids when they still answer this filter, else new ones.
fn rowids(
    source: &Source,
    index: &SharedIndex,
    filter: &AuditFilter,
    query: Query,
) -> Result<Arc<Vec<i64>>> {
    let version = source.data_version()?;
    let mut kept = index.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(i) = kept.as_ref()
        && i.version == version
        && i.filter == *filter
        && i.query == query
    {
        return Ok(i.rowids.clone());
    }
    let mut ids = Vec::new();
    let keys = filter.needs_keys();
    source.grant_keys(&query, keys, &mut |rowid, view| {
        if view.is_none_or(|v| filter.keeps(&v)) {
            ids.push(rowid);
        }
    })?;
    let rowids = Arc::new(ids);
    *kept = Some(AuditIndex {
        filter: filter.clone(),
        query,
        version,
        rowids: rowids.clone(),
    });
    Ok(rowids)
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
        let index = SharedIndex::default();
        let all = AuditFilter::default();
        let p = page(&source, &index, &all, Query::default(), 0, 1, 2).expect("a page");
        assert_eq!(p.total, 5, "the total counts every grant, not the page");
        assert_eq!(
            ids(&p),
            ["g3", "g2"],
            "the window from offset 1, newest first"
        );

        let over = AuditFilter {
            over_privileged: true,
            ..Default::default()
        };
        let p = page(&source, &index, &over, Query::default(), 0, 0, 100).expect("a page");
        assert_eq!(
            ids(&p),
            ["g2", "new", "old"],
            "only grants that got more than they asked: a scope (g2), authorization_details never requested (new, old)"
        );
        assert!(p.rows[0].over_privileged, "and its row says so");
        let email = AuditFilter {
            scope: Some("email".into()),
            ..Default::default()
        };
        let p = page(&source, &index, &email, Query::default(), 0, 0, 100).expect("a page");
        assert_eq!(
            p.total, 0,
            "a scope asked for but not granted does not match (g3 asked email, got openid)"
        );

        let far = page(&source, &index, &all, Query::default(), 0, 99, 10).expect("a page");
        assert!(
            far.rows.is_empty() && far.total == 5 && far.offset == 5,
            "an offset past the end gives no rows and the total, clamped"
        );
        let huge = page(&source, &index, &all, Query::default(), 0, 0, i64::MAX).expect("a page");
        assert_eq!(
            huge.rows.len(),
            5,
            "a huge limit is clamped, not an overflow"
        );

        // Another connection writes: the kept index must not answer for the old store.
        add_grant(&pool, "g5", 300, "openid", Some("openid admin")).await;
        let p = page(&source, &index, &over, Query::default(), 0, 0, 100).expect("a page");
        assert_eq!(
            ids(&p),
            ["g5", "g2", "new", "old"],
            "a grant written after the index was built is found (data_version)"
        );
        sqlx::query("DELETE FROM grants WHERE id = 'g5'")
            .execute(&pool)
            .await
            .expect("a delete");
        let p = page(&source, &index, &over, Query::default(), 0, 0, 100).expect("a page");
        assert_eq!(
            ids(&p),
            ["g2", "new", "old"],
            "a deleted grant is gone from the next page"
        );
    }
}
