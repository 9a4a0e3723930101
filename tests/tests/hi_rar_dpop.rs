//! Issue 15 (C) — rich authorization requests (RFC 9396) and DPoP at the authorization request
//! (RFC 9449 §10) and in device polling, through the real `oauthdesk` binary against the real
//! oidc-provider (tests/provider/extensions/rar.mjs: types `payment_initiation` and
//! `account_information`; the server drops `read_transactions` and a payment's
//! `remittanceInformationUnstructured`, so what is granted differs from what was asked).

use oauthdesk_tests::Desk;
use oauthdesk_tests::json::{array, exchange, jwt_claims, str};
use serde_json::{Value, json};

const ACCOUNTS: &str =
    r#"[{"type":"account_information","actions":["list_accounts","read_transactions"]}]"#;
const PAYMENT: &str = r#"[{"type":"payment_initiation","instructedAmount":{"currency":"EUR","amount":"12.50"},"creditorName":"Merchant A","remittanceInformationUnstructured":"invoice 7"}]"#;

fn comparison<'a>(grant_or_row: &'a Value, ty: &str) -> &'a Value {
    array(
        &grant_or_row["authorization_details"],
        "the per-type comparison",
    )
    .iter()
    .find(|c| c["type"] == ty)
    .unwrap_or_else(|| panic!("a comparison for {ty}: {grant_or_row}"))
}

fn form_param(body: &str, name: &str) -> Option<String> {
    url::form_urlencoded::parse(body.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

#[test]
fn code_flow_sends_details_in_the_url_and_through_par_and_stores_what_was_granted() {
    let desk = Desk::new();
    desk.add_client("bank", "native-public", None, &["--scope", "openid"])
        .ok();

    // Malformed JSON is refused in words, before anything is sent (no browser opened).
    let bad = desk.run(&[
        "login",
        "bank",
        "--authorization-details",
        "[{\"actions\":[]}]",
    ]);
    assert_eq!(bad.code, 1, "malformed details are refused: {}", bad.stderr);
    assert!(
        bad.stderr.contains("entry 0 has no `type`") && bad.stderr.contains("RFC 9396 §2"),
        "the refusal says what is wrong, with the index and the RFC section: {}",
        bad.stderr
    );
    assert!(
        desk.authorization_requests().is_empty(),
        "nothing was sent for malformed details"
    );

    // The plain URL: the details travel in the authorization request; the server narrows them.
    let grant = desk
        .run(&[
            "login",
            "bank",
            "--authorization-details",
            ACCOUNTS,
            "--json",
        ])
        .ok()
        .json();
    let url = desk
        .authorization_requests()
        .pop()
        .expect("the browser was opened");
    assert!(
        url.contains("authorization_details=") && url.contains("account_information"),
        "the authorization request carries authorization_details: {url}"
    );
    assert_eq!(
        grant["authorization_details_requested"],
        serde_json::from_str::<Value>(ACCOUNTS).unwrap(),
        "what was requested is stored: {grant}"
    );
    assert_eq!(
        grant["authorization_details_granted"],
        json!([{"type": "account_information", "actions": ["list_accounts"]}]),
        "what the token response granted is stored (RFC 9396 §7): {grant}"
    );
    let listed = desk.run(&["grants", "bank"]).ok().stdout;
    assert!(
        listed.contains("authorization_details: account_information (narrowed by the server)"),
        "`grants NAME` names the type and how it fared: {listed}"
    );
    let shown = desk.run(&["inspect", "bank", "--no-introspect"]).stdout;
    assert!(
        shown.contains("requested authorization_details")
            && shown.contains("granted authorization_details")
            && shown.contains("narrowed by the server")
            && shown.contains("read_transactions"),
        "`inspect` shows requested beside granted and what was left out: {shown}"
    );
    let flows = desk.run(&["log", "bank", "--json"]).ok().json();
    let token_request = exchange(&flows[0], "token request (authorization_code)");
    let body = str(
        &token_request["request"]["body"],
        "the token request's body",
    );
    assert!(
        form_param(body, "authorization_details").is_none(),
        "the code's token request asks for no subset: the code carries what was granted: {body}"
    );

    // Through PAR: the details go in the pushed request, not the browser URL.
    desk.add_client(
        "bank-par",
        "native-public",
        None,
        &[
            "--scope",
            "openid",
            "--par",
            "--authorization-details",
            PAYMENT,
        ],
    )
    .ok();
    let grant = desk.run(&["login", "bank-par", "--json"]).ok().json();
    let url = desk
        .authorization_requests()
        .pop()
        .expect("the browser was opened");
    assert!(
        url.contains("request_uri=") && !url.contains("authorization_details"),
        "with PAR the browser only gets a request_uri: {url}"
    );
    let flows = desk.run(&["log", "bank-par", "--json"]).ok().json();
    let pushed = exchange(&flows[0], "pushed authorization request");
    let body = str(&pushed["request"]["body"], "the PAR body");
    let sent: Value = serde_json::from_str(
        &form_param(body, "authorization_details").expect("authorization_details in the PAR body"),
    )
    .expect("JSON in the PAR body");
    assert_eq!(
        sent,
        serde_json::from_str::<Value>(PAYMENT).unwrap(),
        "the client's default details went in the PAR request: {body}"
    );
    assert_eq!(
        grant["authorization_details_granted"][0].get("remittanceInformationUnstructured"),
        None,
        "the server dropped the remittance field: {grant}"
    );
    let audit = desk.run(&["audit", "--json"]).ok().json();
    let rows = array(&audit["grants"], "the audit's grants");
    let row = rows
        .iter()
        .find(|r| r["client"] == "bank-par")
        .expect("the PAR grant is audited");
    assert_eq!(
        row["authorization_details_types"],
        json!(["payment_initiation"]),
        "the audit lists the type the grant holds: {row}"
    );
    let c = comparison(row, "payment_initiation");
    assert_eq!(
        c["status"], "narrowed",
        "the dropped field makes the payment narrowed: {c}"
    );
    assert!(
        str(&c["note"], "the note").contains("remittanceInformationUnstructured"),
        "the note names the field the server left out: {c}"
    );
    let only = desk
        .run(&[
            "audit",
            "--authorization-details-type",
            "account_information",
            "--json",
        ])
        .ok()
        .json();
    let clients: Vec<&str> = array(&only["grants"], "filtered grants")
        .iter()
        .map(|r| str(&r["client"], "client"))
        .collect();
    assert_eq!(
        clients,
        vec!["bank"],
        "per type: which grants hold account_information: {only}"
    );
}

#[test]
fn client_credentials_details_a_jwt_claim_introspection_and_an_unlisted_type() {
    let desk = Desk::new();
    desk.add_client("svc", "rar-service", Some("rar-service-secret"), &[])
        .ok();
    let grant = desk
        .run(&[
            "login",
            "svc",
            "--grant",
            "client_credentials",
            "--authorization-details",
            ACCOUNTS,
            "--json",
        ])
        .ok()
        .json();
    let flows = desk.run(&["log", "svc", "--json"]).ok().json();
    let request = exchange(&flows[0], "token request (client_credentials)");
    let body = str(&request["request"]["body"], "the token request's body");
    assert!(
        form_param(body, "authorization_details")
            .is_some_and(|d| d.contains("account_information")),
        "client credentials send the details in the token request (RFC 9396 §6): {body}"
    );
    assert_eq!(
        grant["authorization_details_granted"],
        json!([{"type": "account_information", "actions": ["list_accounts"]}]),
        "the narrowed grant is stored: {grant}"
    );
    // Introspection (RFC 9396 §9.2) shows them too.
    let introspected = desk.run(&["introspect", "svc"]).ok().json();
    assert_eq!(
        introspected["authorization_details"],
        json!([{"type": "account_information", "actions": ["list_accounts"]}]),
        "introspection returns the granted details: {introspected}"
    );

    // A JWT access token (RFC 9068) carries them as a claim (RFC 9396 §9.1).
    desk.add_client(
        "jwt",
        "native-public",
        None,
        &["--scope", "openid api:read"],
    )
    .ok();
    let grant = desk
        .run(&[
            "login",
            "jwt",
            "--resource",
            "urn:oauthdesk:jwt-api",
            "--authorization-details",
            PAYMENT,
            "--json",
        ])
        .ok()
        .json();
    let claim = &grant["claims"]["access_token"]["authorization_details"];
    assert_eq!(
        claim[0]["type"], "payment_initiation",
        "the JWT access token has the authorization_details claim: {grant}"
    );
    assert_eq!(
        &grant["authorization_details_granted"], claim,
        "what is stored as granted is what the token says: {grant}"
    );

    // A type the server does not list: warned about before sending; the server refuses it.
    let unlisted = desk.run(&[
        "login",
        "svc",
        "--grant",
        "client_credentials",
        "--authorization-details",
        r#"[{"type":"tax_filing"}]"#,
    ]);
    assert!(
        unlisted.stderr.contains("tax_filing")
            && unlisted
                .stderr
                .contains("authorization_details_types_supported")
            && unlisted.stderr.contains("RFC 9396 §10"),
        "an unlisted type is warned about: {}",
        unlisted.stderr
    );
    assert_eq!(
        unlisted.code, 1,
        "and the server refuses it: {}",
        unlisted.stderr
    );
    assert!(
        unlisted.stderr.contains("invalid_authorization_details"),
        "the server's error is shown: {}",
        unlisted.stderr
    );
}

#[test]
fn dpop_jkt_binds_the_code_and_device_polling_carries_proofs() {
    let desk = Desk::new();
    desk.add_client(
        "dpop",
        "native-public",
        None,
        &["--scope", "openid", "--dpop"],
    )
    .ok();
    let grant = desk.run(&["login", "dpop", "--json"]).ok().json();
    assert_eq!(
        grant["token_type"], "DPoP",
        "the server issued a DPoP-bound token: {grant}"
    );
    let url = desk
        .authorization_requests()
        .pop()
        .expect("the browser was opened");
    let query = url.split_once('?').map(|(_, q)| q).unwrap_or_default();
    let jkt = form_param(query.trim(), "dpop_jkt").expect("dpop_jkt in the authorization URL");
    let flows = desk.run(&["log", "dpop", "--json"]).ok().json();
    let retry = exchange(
        &flows[0],
        "token request (authorization_code) (with the server's DPoP nonce)",
    );
    assert_eq!(
        jkt,
        proof_thumbprint(retry),
        "dpop_jkt is the RFC 7638 thumbprint of the key that signs the proofs (RFC 9449 §10)"
    );
    let introspected = desk.run(&["introspect", "dpop"]).ok().json();
    assert_eq!(
        introspected["cnf"]["jkt"], jkt,
        "the server bound the token to the key named by dpop_jkt: {introspected}"
    );

    // Through PAR: dpop_jkt goes in the pushed request (RFC 9449 §10.1).
    desk.add_client(
        "dpop-par",
        "native-public",
        None,
        &["--scope", "openid", "--dpop", "--par"],
    )
    .ok();
    let grant = desk.run(&["login", "dpop-par", "--json"]).ok().json();
    assert_eq!(
        grant["token_type"], "DPoP",
        "the PAR login's token is DPoP-bound: {grant}"
    );
    let flows = desk.run(&["log", "dpop-par", "--json"]).ok().json();
    let pushed = exchange(&flows[0], "pushed authorization request");
    let body = str(&pushed["request"]["body"], "the PAR body");
    let jkt = form_param(body, "dpop_jkt").expect("dpop_jkt in the PAR body");
    let retry = exchange(
        &flows[0],
        "token request (authorization_code) (with the server's DPoP nonce)",
    );
    assert_eq!(
        jkt,
        proof_thumbprint(retry),
        "the pushed dpop_jkt names the proof key"
    );

    // The device flow: every poll carries a proof; the token is DPoP-bound to the key.
    desk.add_client(
        "tv",
        "native-public",
        None,
        &["--scope", "openid", "--dpop"],
    )
    .ok();
    let run = desk
        .run_mode(
            &["login", "tv", "--grant", "device_code", "--json"],
            None,
            "device",
        )
        .ok();
    let grant = run.json();
    assert_eq!(
        grant["grant_type"], "device_code",
        "a device grant: {grant}"
    );
    assert_eq!(
        grant["token_type"], "DPoP",
        "the device flow's token is DPoP-bound: {grant}"
    );
    let flows = desk.run(&["log", "tv", "--json"]).ok().json();
    let polls: Vec<&Value> = array(&flows[0]["exchanges"], "the device flow's exchanges")
        .iter()
        .filter(|e| str(&e["step"], "step").starts_with("device token poll"))
        .collect();
    assert!(!polls.is_empty(), "the device flow polled: {}", flows[0]);
    let thumbprints: Vec<String> = polls.iter().map(|p| proof_thumbprint(p)).collect();
    assert!(
        thumbprints.iter().all(|t| t == &thumbprints[0]),
        "every device poll carries a proof of the same key (RFC 9449 §5): {thumbprints:?}"
    );
    let introspected = desk.run(&["introspect", "tv"]).ok().json();
    assert_eq!(
        introspected["cnf"]["jkt"], thumbprints[0],
        "the device token is bound to the polling key (cnf.jkt): {introspected}"
    );
}

/// The RFC 7638 thumbprint of the key in the DPoP proof an exchange sent (RFC 9449 §4.2).
fn proof_thumbprint(exchange: &Value) -> String {
    let proof = array(&exchange["request"]["headers"], "the request's headers")
        .iter()
        .find(|h| h[0] == "dpop")
        .map(|h| str(&h[1], "the DPoP proof").to_owned())
        .unwrap_or_else(|| panic!("a DPoP proof was sent: {exchange}"));
    let head = proof.split('.').next().unwrap_or_default();
    let header = jwt_claims(&format!("x.{head}.y"));
    oauthdesk_core::protocol::keys::thumbprint(&header["jwk"]).expect("a JWK in the proof header")
}
