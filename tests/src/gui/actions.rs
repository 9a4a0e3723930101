//! Acting like a user: clicks, typing, choosing, navigating, confirming, scrolling.

use std::time::{Duration, Instant};

use fantoccini::Locator;

use super::{Element, Gui, GuiResult, WAIT};

impl Gui {
    /// Clicks like a user (WebDriver element click, after scrolling it into view).
    pub async fn click(&self, testid: &str) -> GuiResult {
        let el = self.wait_for(testid).await?;
        self.js(
            "arguments[0].scrollIntoView({block: 'center'});",
            vec![serde_json::to_value(&el)?],
        )
        .await?;
        el.click()
            .await
            .map_err(|e| format!("clicking [data-testid={testid}]: {e}"))?;
        Ok(())
    }

    /// Replaces an input's value by typing `text` (real key events, so React sees them).
    pub async fn fill(&self, testid: &str, text: &str) -> GuiResult {
        let el = self.wait_for(testid).await?;
        // WebDriver's clear does not always reach React's state (a controlled input may put the
        // old value back on its next render), so select-all + delete as well, and type again
        // once if what the field holds is not exactly the text.
        let mut now = String::new();
        for _ in 0..2 {
            el.clear().await?;
            el.send_keys("\u{E009}a\u{E000}\u{E017}").await?;
            if text.is_empty() {
                // WebDriver sends no empty text; a typed and deleted character leaves React "" too.
                el.send_keys("x\u{E003}").await?;
            } else {
                el.send_keys(text).await?;
            }
            now = self.text(testid).await?;
            if now == text {
                return Ok(());
            }
        }
        Err(format!("[data-testid={testid}] holds {now:?} after typing {text:?}").into())
    }

    /// Presses Enter in an element.
    pub async fn press_enter(&self, testid: &str) -> GuiResult {
        self.wait_for(testid).await?.send_keys("\u{E007}").await?;
        Ok(())
    }

    /// Chooses an option of a `<select>` by value, else by exact label, else by a label that
    /// contains `choice`; fails when none matches (listing the options).
    pub async fn select(&self, testid: &str, choice: &str) -> GuiResult {
        // Options may still be loading (lists arrive over IPC): wait for the one asked for.
        let start = Instant::now();
        loop {
            let el = self.wait_for(testid).await?;
            match self.try_select(&el, testid, choice).await {
                Err(e) if e.to_string().contains("has no option") && start.elapsed() < WAIT => {
                    tokio::time::sleep(Duration::from_millis(100)).await
                }
                other => return other,
            }
        }
    }

    async fn try_select(&self, el: &Element, testid: &str, choice: &str) -> GuiResult {
        let el = el.clone();
        let found = self
            .js(
                r#"const s = arguments[0], c = arguments[1];
                const opts = [...s.options];
                const o = opts.find(o => o.value === c) || opts.find(o => o.textContent.trim() === c)
                    || opts.find(o => o.textContent.toLowerCase().includes(c.toLowerCase()));
                return o ? {value: o.value, index: opts.indexOf(o)} : {options: opts.map(o => o.value + '=' + o.textContent.trim())};"#,
                vec![serde_json::to_value(&el)?, choice.into()],
            )
            .await?;
        let (Some(value), Some(index)) = (found["value"].as_str(), found["index"].as_u64()) else {
            return Err(format!(
                "[data-testid={testid}] has no option {choice:?}; options: {}",
                found["options"]
            )
            .into());
        };
        // By index: an <option> without a value attribute has no [value=…] to select by.
        el.select_by_index(index as usize)
            .await
            .map_err(|e| format!("choosing {choice:?} in [data-testid={testid}]: {e:?}"))?;
        let chosen = self
            .js(
                "return arguments[0].value;",
                vec![serde_json::to_value(&el)?],
            )
            .await?;
        if chosen != value {
            return Err(
                format!("[data-testid={testid}] shows {chosen} after choosing {value:?}").into(),
            );
        }
        Ok(())
    }

    /// Goes to a screen (clients, authorize, tokens, decode, api, history, settings): clicks
    /// `nav-<screen>`, or else the navigation button with the screen's visible label.
    pub async fn nav(&self, screen: &str) -> GuiResult {
        let label = match screen {
            "clients" => "Clients",
            "authorize" => "Authorize",
            "tokens" => "Tokens",
            "decode" => "Decode",
            "api" => "Call API",
            "audit" => "Audit",
            "report" => "Provider report",
            "history" => "History",
            "settings" => "Settings",
            "environments" => "Environments",
            other => return Err(format!("no screen {other:?}").into()),
        };
        let id = if screen == "api" {
            "nav-call-api".to_owned()
        } else {
            format!("nav-{screen}")
        };
        if self.visible(&id).await? {
            self.click(&id).await?;
        } else {
            let xpath = format!("//nav//*[self::button or self::a][normalize-space(.)='{label}']");
            let el = self
                .client
                .find(Locator::XPath(&xpath))
                .await
                .map_err(|e| format!("no [data-testid={id}] nor a nav button {label:?}: {e}"))?;
            el.click().await?;
        }
        self.wait_js(
            &format!(
                "[...document.querySelectorAll('h1')].some(h => h.innerText.trim() === {label:?})"
            ),
            &format!("the {label} screen"),
        )
        .await?;
        Ok(())
    }

    /// Answers an "are you sure?" prompt: a native confirm() dialog, or an in-page button
    /// `confirm_testid` (if given) or any rendered `[data-testid^="confirm"]`.
    pub async fn confirm(&self, confirm_testid: Option<&str>) -> GuiResult {
        let start = Instant::now();
        loop {
            if self.client.accept_alert().await.is_ok() {
                return Ok(());
            }
            if let Some(id) = confirm_testid
                && self.visible(id).await?
            {
                return self.click(id).await;
            }
            let any = self.js("const e = [...document.querySelectorAll('[data-testid^=\"confirm\"]')].find(e => e.getClientRects().length && (e.tagName === 'BUTTON' || e.getAttribute('role') === 'button')); return e ? e.dataset.testid : null;", vec![]).await?;
            if let Some(id) = any.as_str() {
                return self.click(id).await;
            }
            if start.elapsed() > WAIT {
                return Err(
                    "no confirmation (dialog or [data-testid^=confirm] button) appeared".into(),
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Scrolls an element to the middle of its scrolling container (for a screenshot).
    pub async fn scroll_to(&self, testid: &str) -> GuiResult {
        let el = self.wait_for(testid).await?;
        self.js(
            "arguments[0].scrollIntoView({block: arguments[1]});",
            vec![serde_json::to_value(&el)?, "center".into()],
        )
        .await?;
        Ok(())
    }

    /// Waits for two animation frames, so the next screenshot shows the current DOM.
    pub async fn settle(&self) -> GuiResult {
        self.client.execute_async("const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done(true)));", vec![]).await?;
        Ok(())
    }
}
