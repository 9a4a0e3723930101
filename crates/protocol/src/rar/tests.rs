use super::*;
use serde_json::json;

#[test]
fn parse_accepts_an_array_and_a_single_object() {
    let v = parse(r#"[{"type":"payment_initiation","actions":["initiate"]}]"#).unwrap();
    assert_eq!(types(&v), vec!["payment_initiation"], "the type is read");
    let one = parse(r#"{"type":"account_information"}"#).unwrap();
    assert!(one.is_array(), "a single object becomes an array of one");
    assert_eq!(
        to_param(&one),
        r#"[{"type":"account_information"}]"#,
        "compact JSON for the form"
    );
}

#[test]
fn parse_refuses_malformed_details_in_words_with_the_index() {
    let cases = [
        ("[{\"type\":", "not JSON"),
        ("\"payment\"", "must be a JSON array"),
        ("[]", "the array is empty"),
        ("[{\"type\":\"a\"}, 3]", "entry 1 is not a JSON object"),
        (
            "[{\"type\":\"a\"}, {\"actions\":[]}]",
            "entry 1 has no `type`",
        ),
        (
            "[{\"type\":\"\"}]",
            "entry 0: `type` must be a non-empty string",
        ),
        (
            "[{\"type\":7}]",
            "entry 0: `type` must be a non-empty string",
        ),
        (
            "[{\"type\":\"a\",\"actions\":\"read\"}]",
            "entry 0: `actions` must be an array",
        ),
        (
            "[{\"type\":\"a\",\"identifier\":5}]",
            "entry 0: `identifier` must be",
        ),
    ];
    for (input, words) in cases {
        let e = parse(input).expect_err(input).to_string();
        assert!(
            e.contains(words),
            "{input:?} is refused with {words:?}; got {e}"
        );
        assert!(
            e.starts_with("authorization_details:"),
            "the error names the parameter: {e}"
        );
    }
    let big = format!("[{{\"type\":\"a\",\"x\":\"{}\"}}]", "y".repeat(MAX_BYTES));
    assert!(
        parse(&big).unwrap_err().to_string().contains("bytes"),
        "oversized input refused"
    );
    let many = Value::Array((0..=MAX_ENTRIES).map(|_| json!({"type": "a"})).collect());
    assert!(validate(&many).is_err(), "more than MAX_ENTRIES refused");
}

#[test]
fn unsupported_types_are_those_the_server_does_not_list() {
    let v = json!([{"type": "a"}, {"type": "b"}, {"type": "a"}]);
    assert_eq!(
        unsupported_types(&v, &["a".into()]),
        vec!["b"],
        "b is not listed"
    );
    assert!(
        unsupported_types(&v, &[]).is_empty(),
        "no list published: nothing to warn about"
    );
}

#[test]
fn granted_details_read_from_a_response_object() {
    let o = json!({"authorization_details": [{"type": "a"}]});
    let got = granted_in(o.as_object().unwrap()).unwrap().unwrap();
    assert_eq!(got, json!([{"type": "a"}]), "array member read");
    let s = json!({"authorization_details": "[{\"type\":\"a\"}]"});
    assert!(
        granted_in(s.as_object().unwrap()).unwrap().is_ok(),
        "JSON in a string tolerated"
    );
    let bad = json!({"authorization_details": {"no": "type"}});
    assert!(
        granted_in(bad.as_object().unwrap()).unwrap().is_err(),
        "malformed reported"
    );
    assert!(
        granted_in(json!({}).as_object().unwrap()).is_none(),
        "absent is None"
    );
}

#[test]
fn compare_tells_granted_narrowed_added_broadened_and_missing_apart() {
    let requested = json!([
        {"type": "account_information", "actions": ["list_accounts", "read_transactions"]},
        {"type": "payment_initiation", "instructedAmount": {"currency": "EUR", "amount": "1"}},
        {"type": "gone"},
        {"type": "wider", "actions": ["a"]},
    ]);
    let granted = json!([
        {"type": "account_information", "actions": ["list_accounts"]},
        {"type": "payment_initiation", "instructedAmount": {"currency": "EUR", "amount": "1"}},
        {"type": "extra"},
        {"type": "wider", "actions": ["a", "b"]},
    ]);
    let c = compare(Some(&requested), Some(&granted));
    let status = |t: &str| c.iter().find(|d| d.type_ == t).map(|d| d.status);
    assert_eq!(
        status("account_information"),
        Some(DetailStatus::Narrowed),
        "an action dropped is narrowed"
    );
    let note = &c
        .iter()
        .find(|d| d.type_ == "account_information")
        .unwrap()
        .note;
    assert!(
        note.contains("read_transactions"),
        "the note names what was left out: {note}"
    );
    assert_eq!(
        status("payment_initiation"),
        Some(DetailStatus::Granted),
        "identical is granted"
    );
    assert_eq!(
        status("gone"),
        Some(DetailStatus::Missing),
        "asked, not granted"
    );
    assert_eq!(
        status("extra"),
        Some(DetailStatus::Added),
        "granted, never asked"
    );
    assert_eq!(
        status("wider"),
        Some(DetailStatus::Broadened),
        "an added action is broadened"
    );
    assert!(
        c.iter().filter(|d| d.more_than_asked()).count() == 2,
        "added and broadened are findings"
    );
    assert!(
        compare(Some(&requested), None).is_empty(),
        "no granted value: nothing to compare"
    );
    let dropped_field = compare(
        Some(&json!([{"type": "p", "creditorName": "X", "remittance": "r"}])),
        Some(&json!([{"type": "p", "creditorName": "X"}])),
    );
    assert_eq!(
        dropped_field[0].status,
        DetailStatus::Narrowed,
        "a field left out is narrowed"
    );
    assert!(
        dropped_field[0].note.contains("remittance"),
        "{}",
        dropped_field[0].note
    );
}
