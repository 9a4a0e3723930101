//! The layout check every screen passes at every size: no table cell narrower than its longest
//! word (the "one letter per line" and "Devic e" breakage), no value clipped without a way to
//! see it whole, and no page wider than the window.

use super::{Gui, GuiResult};

/// Returns a list of problems, each in words; empty when the layout is right.
///
/// - Cells (`td`, `th`, `dt`, `dd`, and anything marked `data-cell`) are measured against the
///   widest word of their text (split at spaces and after hyphens, where the browser may break),
///   in the font the text is drawn with.
/// - A machine value (`.value`, `.claim-value`, a `code.tag` chip: ids, hashes, URLs; and a
///   check's reason, which quotes URLs and key ids) may break anywhere, in a cell at least
///   96 px wide.
/// - A value truncated on purpose (`text-overflow: ellipsis` with `overflow: hidden`) passes
///   only if it carries its full text in a `title` (hover) — the issue's "full value on hover".
/// - An element that clips its text (`overflow: hidden`, content wider than the box) without
///   an ellipsis fails: that is a chip or a column cut off.
/// - Text in a horizontally scrolling box (`pre`, `overflow-x: auto`) is exempt: it can be read
///   by scrolling.
/// - No pane scrolls sideways (its content wider than the pane), except code (`pre`), text areas
///   and what is marked `data-scroll-x`.
const LAYOUT_JS: &str = r#"
const problems = [];
const doc = document.documentElement;
if (doc.scrollWidth > doc.clientWidth + 1) {
  problems.push(`the page is ${doc.scrollWidth} px wide in a ${doc.clientWidth} px window`);
}
const ctx = document.createElement('canvas').getContext('2d');
const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
const label = (el) => {
  const id = el.closest('[data-testid]');
  const where = id ? `[data-testid="${id.getAttribute('data-testid')}"]` : el.tagName.toLowerCase();
  return `${where} "${(el.innerText || el.textContent || '').trim().slice(0, 60)}"`;
};
const scrolls = (el, stop) => {
  for (let e = el; e && e !== stop; e = e.parentElement) {
    const s = getComputedStyle(e);
    if (s.overflowX === 'auto' || s.overflowX === 'scroll') return true;
  }
  return false;
};
const truncatedBy = (el, stop) => {
  for (let e = el; e && e !== stop; e = e.parentElement) {
    const s = getComputedStyle(e);
    if (s.textOverflow === 'ellipsis' && (s.overflowX === 'hidden' || s.overflowX === 'clip')) return e;
  }
  return null;
};
for (const cell of document.querySelectorAll('td, th, dt, dd, [data-cell]')) {
  if (!shown(cell)) continue;
  const cs = getComputedStyle(cell);
  const inner = cell.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
  const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const parent = node.parentElement;
    if (!parent || !shown(parent) || !node.textContent.trim()) continue;
    if (scrolls(parent, cell.parentElement)) continue;
    const cut = truncatedBy(parent, cell.parentElement);
    if (cut) {
      if (cut.scrollWidth > cut.clientWidth + 1 && !cut.closest('[title]')) {
        problems.push(`${label(cut)} is cut off with no title to show it whole`);
      }
      continue;
    }
    // A machine value (an id, a hash, a URL: `.value`, `.claim-value`, a chip) may break
    // anywhere, as long as its cell keeps room for a dozen characters: no one letter per line.
    if (parent.closest('.value, .claim-value, .check-reason, code.tag')) {
      if (inner < 96) problems.push(`${label(cell)}: a value column only ${Math.floor(inner)} px wide`);
      continue;
    }
    const ps = getComputedStyle(parent);
    ctx.font = ps.font || `${ps.fontStyle} ${ps.fontWeight} ${ps.fontSize} ${ps.fontFamily}`;
    for (const word of node.textContent.split(/\s+/)) {
      for (const piece of word.split(/(?<=-)/)) {
        if (!piece) continue;
        const width = ctx.measureText(piece).width;
        if (width > inner + 1.5) {
          problems.push(`${label(cell)}: "${piece.slice(0, 40)}" needs ${Math.ceil(width)} px, the cell has ${Math.floor(inner)} px`);
        }
      }
    }
  }
}
for (const el of document.querySelectorAll('body *')) {
  if (!shown(el) || !el.textContent.trim()) continue;
  const s = getComputedStyle(el);
  if (s.overflowX !== 'hidden' && s.overflowX !== 'clip') continue;
  if (s.textOverflow === 'ellipsis') {
    if (el.scrollWidth > el.clientWidth + 1 && !el.closest('[title]')) {
      problems.push(`${label(el)} is cut off with no title to show it whole`);
    }
    continue;
  }
  if (el.children.length === 0 && el.scrollWidth > el.clientWidth + 1) {
    problems.push(`${label(el)} is clipped: ${el.scrollWidth} px of text in ${el.clientWidth} px`);
  }
}
// A pane that scrolls sideways hides part of every row: only code and text areas may.
for (const el of document.querySelectorAll('body *')) {
  if (!shown(el)) continue;
  const s = getComputedStyle(el);
  if (s.overflowX !== 'auto' && s.overflowX !== 'scroll') continue;
  if (['PRE', 'TEXTAREA', 'CODE', 'SELECT', 'INPUT'].includes(el.tagName) || el.closest('pre, [data-scroll-x]')) continue;
  if (el.scrollWidth > el.clientWidth + 1) {
    // Name the innermost element that sticks out, so the message says what to fix.
    const right = el.getBoundingClientRect().left + el.clientWidth + 1;
    // The outermost one: a table or a row of chips, not the last cell of it.
    let culprit = null;
    for (const d of el.querySelectorAll('*')) {
      if (shown(d) && d.getBoundingClientRect().right > right && !d.closest('pre, [data-scroll-x]')) {
        culprit = d;
        break;
      }
    }
    let what = culprit ? `; widest: ${culprit.tagName.toLowerCase()}.${culprit.className} ${label(culprit)}` : '';
    if (culprit && culprit.tagName === 'TABLE') {
      // The cells that set the table's width: each column's widest cell.
      const widths = [];
      for (const row of culprit.rows) {
        [...row.cells].forEach((c, i) => {
          if (!widths[i] || c.offsetWidth > widths[i].w) widths[i] = { w: c.offsetWidth, t: (c.innerText || '').trim().slice(0, 50) };
        });
      }
      what += ` (columns: ${widths.map((c) => `${c.w} px "${c.t}"`).join(', ')})`;
    }
    problems.push(`${label(el)} scrolls sideways: ${el.scrollWidth} px of content in ${el.clientWidth} px${what}`);
  }
}
return [...new Set(problems)].slice(0, 25);
"#;

impl Gui {
    /// The layout problems of the page as it is now (see [`LAYOUT_JS`]); empty when right.
    pub async fn layout_problems(&self) -> GuiResult<Vec<String>> {
        let v = self.js(LAYOUT_JS, vec![]).await?;
        Ok(v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|p| p.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default())
    }

    /// Fails, naming `screen`, the window size and each problem, unless the layout is right:
    /// no table cell narrower than its longest word, nothing clipped without a title, no page
    /// wider than the window.
    pub async fn check_layout(&self, screen: &str) -> GuiResult {
        self.settle().await?;
        let problems = self.layout_problems().await?;
        if problems.is_empty() {
            return Ok(());
        }
        let (w, h) = self.size();
        Err(format!(
            "layout of {screen} at {w}×{h}:\n  {}",
            problems.join("\n  ")
        )
        .into())
    }
}
