//! Bringing the app back when the browser hands the authorization response over: the user is in
//! the browser at that moment, and the result (the exchange, the grant or the error) is here.
//! Core knows nothing of windows; this watches the flow's events on their way to the page.

use oauthdesk_core::model::FlowEvent;
use tauri::{Runtime, WebviewWindow};

/// Whether an event means the callback has arrived and the window should come forward.
pub fn raises_window(event: &FlowEvent) -> bool {
    matches!(event, FlowEvent::CallbackReceived { .. })
}

/// Unminimizes, shows and focuses the window when `event` says the callback arrived. A window
/// manager may refuse focus; that is not an error of the flow.
pub fn on_event<R: Runtime>(window: &WebviewWindow<R>, event: &FlowEvent) {
    if raises_window(event) {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_callback_raises_the_window() {
        assert!(
            raises_window(&FlowEvent::CallbackReceived { iss_checked: true }),
            "the callback's arrival brings the app forward"
        );
        assert!(
            !raises_window(&FlowEvent::Step { name: "x".into() })
                && !raises_window(&FlowEvent::TokenReceived {
                    grant_id: "g".into()
                }),
            "other events leave the window alone (the user may be elsewhere)"
        );
    }
}
