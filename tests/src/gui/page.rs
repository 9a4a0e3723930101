//! Reading the page and waiting for it: scripts, test ids, texts, attributes.

use std::time::{Duration, Instant};

use fantoccini::Locator;

use super::{Element, Gui, GuiResult, WAIT, by_id};

const TEXT_JS: &str = r#"
const el = document.querySelector(arguments[0]);
if (!el) return null;
if (el.tagName === 'SELECT') return (el.selectedOptions[0] ? el.selectedOptions[0].textContent + ' ' : '') + el.value;
if (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA') return el.value;
return el.innerText;
"#;

impl Gui {
    /// Runs a script (a function body; `arguments` are `args`) and returns its value.
    pub async fn js(
        &self,
        script: &str,
        args: Vec<serde_json::Value>,
    ) -> GuiResult<serde_json::Value> {
        Ok(self.client.execute(script, args).await?)
    }

    /// Polls until `expr` (a JS expression) is truthy.
    pub async fn wait_js(&self, expr: &str, what: &str) -> GuiResult<serde_json::Value> {
        let script = format!("return ({expr});");
        let start = Instant::now();
        loop {
            let v = self.js(&script, vec![]).await?;
            if !(v.is_null() || v == false || v == "" || v == 0) {
                return Ok(v);
            }
            if start.elapsed() > WAIT {
                return Err(format!("timed out after {WAIT:?} waiting for {what}").into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn body_text(&self) -> GuiResult<String> {
        Ok(self
            .js(
                "return document.body ? document.body.innerText : ''",
                vec![],
            )
            .await?
            .as_str()
            .unwrap_or_default()
            .to_owned())
    }

    /// Whether an element with this test id is in the page and rendered.
    pub async fn visible(&self, testid: &str) -> GuiResult<bool> {
        let v = self.js("const e = document.querySelector(arguments[0]); return !!e && e.getClientRects().length > 0;", vec![by_id(testid).into()]).await?;
        Ok(v == true)
    }

    /// Waits up to `limit` for a rendered element with this test id.
    pub async fn wait_for_within(&self, testid: &str, limit: Duration) -> GuiResult<Element> {
        let start = Instant::now();
        loop {
            if self.visible(testid).await? {
                return Ok(self.client.find(Locator::Css(&by_id(testid))).await?);
            }
            if start.elapsed() > limit {
                return Err(format!(
                    "timed out after {limit:?} waiting for [data-testid={testid}]"
                )
                .into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn wait_for(&self, testid: &str) -> GuiResult<Element> {
        self.wait_for_within(testid, WAIT).await
    }

    /// Waits until no element with this test id is rendered.
    pub async fn wait_gone(&self, testid: &str) -> GuiResult {
        let start = Instant::now();
        while self.visible(testid).await? {
            if start.elapsed() > WAIT {
                return Err(format!("[data-testid={testid}] is still shown after {WAIT:?}").into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Ok(())
    }

    /// Test ids present in the page that start with `prefix`, in document order.
    pub async fn testids(&self, prefix: &str) -> GuiResult<Vec<String>> {
        let v = self.js("return [...document.querySelectorAll('[data-testid]')].map(e => e.dataset.testid).filter(t => t.startsWith(arguments[0]));", vec![prefix.into()]).await?;
        Ok(v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default())
    }

    /// The visible text (or an input's value; a select's chosen label and value).
    pub async fn text(&self, testid: &str) -> GuiResult<String> {
        let v = self.js(TEXT_JS, vec![by_id(testid).into()]).await?;
        v.as_str()
            .map(str::to_owned)
            .ok_or_else(|| format!("no [data-testid={testid}] in the page").into())
    }

    /// Waits until the element's text contains every needle (case-insensitive), up to `limit`.
    pub async fn wait_text_within(
        &self,
        testid: &str,
        needles: &[&str],
        limit: Duration,
    ) -> GuiResult<String> {
        let start = Instant::now();
        let mut last = None;
        loop {
            if let Some(t) = self.js(TEXT_JS, vec![by_id(testid).into()]).await?.as_str() {
                let lower = t.to_lowercase();
                if needles.iter().all(|n| lower.contains(&n.to_lowercase())) {
                    return Ok(t.to_owned());
                }
                last = Some(t.to_owned());
            }
            if start.elapsed() > limit {
                return Err(format!("timed out after {limit:?} waiting for [data-testid={testid}] to contain {needles:?}; it shows {last:?}").into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn wait_text(&self, testid: &str, needles: &[&str]) -> GuiResult<String> {
        self.wait_text_within(testid, needles, WAIT).await
    }

    /// An attribute of every element matching `css`, in document order.
    pub async fn attrs(&self, css: &str, attr: &str) -> GuiResult<Vec<String>> {
        let v = self.js("return [...document.querySelectorAll(arguments[0])].map(e => e.getAttribute(arguments[1]) || '');", vec![css.into(), attr.into()]).await?;
        Ok(v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default())
    }

    /// Waits until at least `n` elements with test ids starting with `prefix` exist; returns them.
    pub async fn wait_testids(&self, prefix: &str, n: usize) -> GuiResult<Vec<String>> {
        let start = Instant::now();
        loop {
            let ids = self.testids(prefix).await?;
            if ids.len() >= n {
                return Ok(ids);
            }
            if start.elapsed() > WAIT {
                return Err(format!("timed out after {WAIT:?} waiting for {n} [data-testid^={prefix}]; found {ids:?}").into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}
