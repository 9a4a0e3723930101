//! OpenID Connect RP-Initiated Logout 1.0: the end-session request the browser is sent with,
//! carrying the ID token as `id_token_hint` and a loopback `post_logout_redirect_uri`.

use crate::secret::IdToken;
use url::Url;

/// The URL that asks the OP to end the user's session (RP-Initiated Logout §2).
pub fn end_session_url(
    endpoint: &Url,
    id_token_hint: Option<&IdToken>,
    client_id: &str,
    post_logout_redirect_uri: &str,
    state: &str,
) -> Url {
    let mut url = endpoint.clone();
    {
        let mut q = url.query_pairs_mut();
        if let Some(hint) = id_token_hint {
            q.append_pair("id_token_hint", hint.expose());
        }
        q.append_pair("client_id", client_id)
            .append_pair("post_logout_redirect_uri", post_logout_redirect_uri)
            .append_pair("state", state);
    }
    url
}

#[cfg(test)]
mod tests {
    #[test]
    fn carries_hint_client_redirect_and_state() {
        let u = super::end_session_url(
            &url::Url::parse("https://op/session/end?x=1").unwrap(),
            Some(&crate::IdToken::new("eyJ.a.b")),
            "rp",
            "http://127.0.0.1:5000/logout",
            "s",
        );
        let q: std::collections::HashMap<_, _> = u.query_pairs().into_owned().collect();
        assert_eq!(
            (
                q["x"].as_str(),
                q["id_token_hint"].as_str(),
                q["client_id"].as_str(),
                q["state"].as_str()
            ),
            ("1", "eyJ.a.b", "rp", "s"),
            "the endpoint's own query is kept, and id_token_hint, client_id and state are sent (RP-Initiated Logout §2)"
        );
        assert_eq!(
            q["post_logout_redirect_uri"], "http://127.0.0.1:5000/logout",
            "the loopback post_logout_redirect_uri is sent as given"
        );
    }
}
