//! The browser part of a login: the authorization request (RFC 6749 §4.1.1, PKCE RFC 7636,
//! PAR RFC 9126), the loopback callback (RFC 8252) and the code exchange (§4.1.3), or the
//! implicit response's fragment.

use super::*;
use oauthdesk_protocol::jar as jar_urls;
use oauthdesk_protocol::jarm as jarm_modes;

impl Desk {
    pub(super) async fn browser_flow(&self, flow: &Flow<'_>) -> Result<Obtained> {
        let Flow {
            client,
            auth,
            opts,
            scope,
            extra,
            transcript,
            progress,
        } = *flow;
        let implicit = opts.grant == GrantType::Implicit;
        let authz = endpoint(client, &client.endpoints.authorization, "authorization")?;
        let token_endpoint = if implicit {
            None
        } else {
            Some(endpoint(client, &client.endpoints.token, "token")?)
        };
        let (response_mode, extra) = &jarm::response_mode(client, extra)?;
        let jwt_response = response_mode
            .as_deref()
            .is_some_and(jarm_modes::is_jwt_mode);
        let listener = LoopbackListener::bind(&client.redirect_uri).await?;
        let redirect = listener.redirect_uri().to_string();
        let openid = scope.split_whitespace().any(|s| s == "openid");
        let response_type = match (implicit, openid) {
            (false, _) => "code",
            (true, true) => "id_token token",
            (true, false) => "token",
        };
        // RFC 9449 §10: bind the code to the DPoP key (the PAR request gets it from the URL).
        let mut extra = extra.to_vec();
        if !implicit {
            extra.extend(rar::dpop_jkt(auth, &extra));
        }
        let request = build_authorization_request(&AuthorizationParams {
            endpoint: authz.as_str(),
            client_id: &client.client_id,
            redirect_uri: &redirect,
            response_type,
            scope,
            response_mode: response_mode.as_deref(),
            pkce: client.pkce && !implicit,
            extra: &extra,
        })
        .map_err(|e| CoreError::InvalidInput(format!("authorization endpoint: {e}")))?;
        let required = client
            .metadata
            .as_ref()
            .is_some_and(|m| m.require_pushed_authorization_requests);
        let authz_url = url::Url::parse(authz.as_str())
            .map_err(|e| CoreError::InvalidInput(format!("authorization endpoint: {e}")))?;
        let signed = self.signed_request(client, auth, &authz_url, &request.url, transcript)?;
        let url = if client.par || required || signed.as_ref().is_some_and(|s| s.pushed) {
            let par_endpoint = client
                .metadata
                .as_ref()
                .and_then(|m| m.pushed_authorization_request_endpoint.clone())
                .ok_or_else(|| CoreError::InvalidInput("pushed authorization requests (RFC 9126) need the server's pushed_authorization_request_endpoint, and its metadata has none; turn PAR off for this client".into()))?;
            // Through the one endpoint rule: the mTLS alias and the transport check.
            let par_endpoint = endpoint(client, &Some(par_endpoint), "par")?;
            let pushed = match &signed {
                Some(s) => jar_urls::pushed_url(&authz_url, &client.client_id, &s.jwt),
                None => request.url.clone(),
            };
            par::push(
                &self.http_for(client).await?,
                transcript,
                &par_endpoint,
                auth,
                &authz_url,
                &pushed,
            )
            .await?
            .url
        } else if let Some(s) = &signed {
            let params = jar_urls::parameters_of(&authz_url, &request.url);
            jar_urls::by_value_url(&authz_url, &client.client_id, &params, &s.jwt)
        } else {
            request.url.clone()
        };
        let opened = !opts.no_open;
        // Reported as `AuthorizationUrl` below; recorded, not sent twice.
        transcript.push_unobserved(event_exchange(
            "authorization request",
            "GET",
            url.as_str(),
            if opened {
                "opened in the system browser"
            } else {
                "printed for the user to open"
            },
        ));
        if opened {
            self.config.launcher.open(url.as_str())?;
        }
        progress(FlowEvent::AuthorizationUrl {
            url: url.to_string(),
            opened,
        });
        progress(FlowEvent::WaitingForCallback {
            redirect_uri: redirect.clone(),
            timeout_secs: self.config.callback_timeout.as_secs(),
        });
        let expect = CallbackExpectation {
            state: request.state.clone(),
            issuer: client
                .metadata
                .as_ref()
                .map(|m| m.issuer.clone())
                .or_else(|| client.issuer.clone()),
            iss_required: client
                .metadata
                .as_ref()
                .is_some_and(|m| m.authorization_response_iss_parameter_supported),
            fragment: implicit
                || response_mode
                    .as_deref()
                    .is_some_and(jarm_modes::in_fragment),
            logout: false,
            jarm: jwt_response,
        };
        let callback = listener.wait(&expect, self.config.callback_timeout).await;
        let note = match &callback {
            Ok(_) if jwt_response => {
                "received the signed response (JARM); its checks follow".into()
            }
            Ok(cb) => format!(
                "accepted: state matched{}",
                if cb.iss_checked {
                    ", iss matched (RFC 9207)"
                } else {
                    ""
                }
            ),
            Err(e) => format!("rejected: {e}"),
        };
        let received = match &callback {
            Ok(cb) => {
                let mut u = url::Url::parse(&redirect).expect("bound redirect URI is valid");
                u.query_pairs_mut().extend_pairs(&cb.params);
                u.to_string()
            }
            Err(_) => redirect.clone(),
        };
        let entry = event_exchange("callback received", "GET", &received, &note);
        if callback.is_ok() {
            // Reported as `CallbackReceived` below.
            transcript.push_unobserved(entry);
        } else {
            transcript.push(entry);
        }
        let callback = match callback? {
            cb if jwt_response => self.open_jarm(client, &cb, &expect, transcript).await?,
            cb => cb,
        };
        progress(FlowEvent::CallbackReceived {
            iss_checked: callback.iss_checked,
        });
        let (token, code) = match token_endpoint {
            None => (implicit_token(&callback.params)?, None),
            Some(token_endpoint) => {
                let code = AuthorizationCode::new(
                    callback
                        .get("code")
                        .ok_or(ProtocolError::CallbackIncomplete)?,
                );
                let mut params = grant::authorization_code_params(
                    &code,
                    &redirect,
                    request.pkce_verifier.as_ref(),
                );
                // RFC 8707 §2.2: the resource goes to the token request too, which is where the
                // access token (and its audience) is made.
                params.extend(resource_params(&extra));
                (
                    grant::token_request(
                        &self.http_for(client).await?,
                        transcript,
                        "token request (authorization_code)",
                        &token_endpoint,
                        auth,
                        params,
                    )
                    .await?,
                    Some(code),
                )
            }
        };
        Ok(Obtained {
            token,
            nonce: request.nonce,
            code,
        })
    }
}

/// A transcript entry for something that is not our own HTTP request (browser hand-offs).
pub(super) fn event_exchange(step: &str, method: &str, url: &str, note: &str) -> Exchange {
    Exchange {
        step: step.into(),
        started_at_ms: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0),
        duration_ms: 0,
        request: RecordedRequest {
            method: method.into(),
            url: transcript::redact_url(url),
            headers: vec![],
            body: None,
        },
        response: None,
        note: Some(note.into()),
    }
}

/// The implicit grant's fragment parameters, parsed with the token endpoint's tolerance.
fn implicit_token(params: &[(String, String)]) -> Result<TokenResponse> {
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params)
        .finish();
    let resp = HttpResponse {
        url: "(authorization response fragment)".into(),
        status: 200,
        headers: vec![(
            "content-type".into(),
            "application/x-www-form-urlencoded".into(),
        )],
        body: body.into_bytes(),
    };
    let mut token = grant::parse_token_response(&resp)?;
    token
        .deviations
        .retain(|d| d.code != "form_encoded_response");
    Ok(token)
}
