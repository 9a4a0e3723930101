//! Row-id indexes for the windowed lists (Tokens, Audit): what a list's filter selects, in the
//! list's order, read once and kept between page requests until the store changes (SQLite's
//! `data_version` on the scan connection: any commit by anyone) or the filter does. A page then
//! reads only its own rows, so a store of 100 000 grants costs a page what 100 do.

use crate::error::Result;
use crate::model::GrantView;
use crate::store::scan::Source;
use std::ops::Range;
use std::sync::{Arc, Mutex};

/// Most rows one page returns.
pub const MAX_PAGE: i64 = 1000;

/// What a list's filter selects: the row ids in the list's order.
pub type Selection = Vec<i64>;

/// What was built for `key`, at the store's `version`.
#[derive(Debug)]
pub struct Kept<K, V> {
    key: K,
    version: i64,
    value: Arc<V>,
}

/// One list's kept index (the last filter asked for), shared by the desk's clones.
pub type Shared<K, V> = Arc<Mutex<Option<Kept<K, V>>>>;

/// The kept value when it was built for `key` and nobody has written since, else `build()`'s,
/// which is then kept. Runs on the scan's thread (it reads `data_version` there).
pub fn kept<K: PartialEq, V>(
    source: &Source,
    shared: &Shared<K, V>,
    key: K,
    build: impl FnOnce() -> Result<V>,
) -> Result<Arc<V>> {
    let version = source.data_version()?;
    let mut slot = shared.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(k) = slot.as_ref()
        && k.version == version
        && k.key == key
    {
        return Ok(k.value.clone());
    }
    let value = Arc::new(build()?);
    *slot = Some(Kept {
        key,
        version,
        value: value.clone(),
    });
    Ok(value)
}

/// The names of the clients that have grants (both lists' client filter offers those), kept like
/// an index: a filter's first page no longer reads them again (7 ms at 100 000 grants).
pub type SharedClients = Shared<(), Vec<String>>;

/// The kept names of the clients that have grants, read again after any write.
pub fn clients_with_grants(source: &Source, shared: &SharedClients) -> Result<Arc<Vec<String>>> {
    kept(source, shared, (), || source.clients_with_grants())
}

/// The rows `offset..offset + limit` of a list of `len`: the total, the offset clamped to
/// `0..=total`, and the index range (`limit` clamped to `0..=MAX_PAGE`; no overflow).
pub fn window(len: usize, offset: i64, limit: i64) -> (i64, i64, Range<usize>) {
    let total = i64::try_from(len).unwrap_or(i64::MAX);
    let offset = offset.clamp(0, total);
    let end = offset.saturating_add(limit.clamp(0, MAX_PAGE)).min(total);
    let range = usize::try_from(offset).unwrap_or(0)..usize::try_from(end).unwrap_or(0);
    (total, offset, range)
}

/// The grants of `rowids[offset..offset + limit]` (clamped as [`window`] does), read by row id:
/// the total, the clamped offset and the page's grants in the list's order.
pub fn page_of(
    source: &Source,
    rowids: &[i64],
    offset: i64,
    limit: i64,
) -> Result<(i64, i64, Vec<GrantView>)> {
    let (total, offset, range) = window(rowids.len(), offset, limit);
    let grants = source.grants_by_rowid(rowids.get(range).unwrap_or_default())?;
    Ok((total, offset, grants))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_are_clamped_never_overflow() {
        assert_eq!(window(5, 1, 2), (5, 1, 1..3), "rows 1 and 2 of 5");
        assert_eq!(
            window(5, 99, 10),
            (5, 5, 5..5),
            "past the end: no rows, offset at the end"
        );
        assert_eq!(
            window(5, -3, 2),
            (5, 0, 0..2),
            "a negative offset is the top"
        );
        assert_eq!(
            window(5, 0, -1),
            (5, 0, 0..0),
            "a negative limit is no rows, not all"
        );
        assert_eq!(
            window(5000, i64::MAX, i64::MAX),
            (5000, 5000, 5000..5000),
            "huge numbers are clamped, not an overflow"
        );
        assert_eq!(
            window(5000, 10, i64::MAX),
            (5000, 10, 10..1010),
            "a page is at most MAX_PAGE rows"
        );
    }
}
