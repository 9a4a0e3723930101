//! The window's web security settings stay as hardened as they were decided (issue 11): a CSP
//! that forbids `<base>` rewrites, form posts and framing, and a frozen `Object.prototype` so a
//! prototype-pollution bug in the page cannot reach the IPC bridge.

#[test]
fn csp_and_prototype_freeze_are_set() {
    let conf: serde_json::Value =
        serde_json::from_str(include_str!("../tauri.conf.json")).expect("tauri.conf.json is JSON");
    let security = &conf["app"]["security"];
    let csp = security["csp"].as_str().expect("a CSP string is set");
    for directive in [
        "default-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ] {
        assert!(
            csp.contains(directive),
            "the CSP contains {directive:?}: {csp}"
        );
    }
    assert!(
        !csp.contains("'unsafe-eval'") && !csp.contains("script-src *"),
        "scripts stay same-origin only: {csp}"
    );
    assert_eq!(
        security["freezePrototype"].as_bool(),
        Some(true),
        "Object.prototype is frozen before the page's scripts run"
    );
}
