//! Token truth: JWS signature verification against a key set (JWKS, JWK, PEM or a client
//! secret), and the claim checks of OpenID Connect Core §3.1.3.7 (ID tokens) and RFC 9068
//! (JWT access tokens). Every check is reported on its own, passed or not, with the reason.
//! The cryptography is `jsonwebtoken`'s (RustCrypto); nothing here hand-rolls a primitive.

use crate::secret::Secret;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::Jwk;
use jsonwebtoken::{Algorithm, DecodingKey};
use serde::Serialize;
use serde_json::Value;
use sha2::Digest;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum CheckStatus {
    Pass,
    Fail,
    /// Something a spec says SHOULD (not MUST), or a check that is advisory for this token.
    Warn,
    NotApplicable,
}

/// One check's outcome: `name` says what was checked, `code` names a failure precisely
/// (`alg_none`, `unknown_kid`, `nonce_mismatch`, …), `reason` says it in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct Check {
    pub name: String,
    pub status: CheckStatus,
    pub code: Option<String>,
    pub reason: String,
    pub spec: String,
}

impl Check {
    pub fn pass(name: &str, spec: &str, reason: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            status: CheckStatus::Pass,
            code: None,
            reason: reason.into(),
            spec: spec.into(),
        }
    }
    pub fn fail(name: &str, code: &str, spec: &str, reason: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            status: CheckStatus::Fail,
            code: Some(code.into()),
            reason: reason.into(),
            spec: spec.into(),
        }
    }
    pub fn warn(name: &str, code: &str, spec: &str, reason: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            status: CheckStatus::Warn,
            code: Some(code.into()),
            reason: reason.into(),
            spec: spec.into(),
        }
    }
    pub fn not_applicable(name: &str, spec: &str, reason: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            status: CheckStatus::NotApplicable,
            code: None,
            reason: reason.into(),
            spec: spec.into(),
        }
    }
    pub fn failed(&self) -> bool {
        self.status == CheckStatus::Fail
    }
    /// A failure becomes a warning (for checks that are advisory on this token).
    fn soften(mut self) -> Self {
        if self.status == CheckStatus::Fail {
            self.status = CheckStatus::Warn;
        }
        self
    }
}

/// Kind of key, as far as algorithm matching is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyFamily {
    Hmac,
    Rsa,
    Ec,
    Ed,
}

impl KeyFamily {
    fn of_alg(alg: Algorithm) -> Self {
        use Algorithm::*;
        match alg {
            HS256 | HS384 | HS512 => KeyFamily::Hmac,
            ES256 | ES384 => KeyFamily::Ec,
            EdDSA => KeyFamily::Ed,
            _ => KeyFamily::Rsa,
        }
    }
    fn name(self) -> &'static str {
        match self {
            KeyFamily::Hmac => "a shared secret (HMAC)",
            KeyFamily::Rsa => "an RSA public key",
            KeyFamily::Ec => "an EC public key",
            KeyFamily::Ed => "an Ed25519 public key",
        }
    }
}

/// A verification key and what it is allowed for.
pub struct VerifyKey {
    pub kid: Option<String>,
    pub family: KeyFamily,
    /// The JWK's `alg`, when it pins one.
    pub alg: Option<String>,
    /// The JWK's `crv` for EC and OKP keys.
    pub crv: Option<String>,
    /// `use: enc` keys are never used to verify.
    pub for_encryption: bool,
    key: DecodingKey,
}

impl std::fmt::Debug for VerifyKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VerifyKey")
            .field("kid", &self.kid)
            .field("family", &self.family)
            .field("alg", &self.alg)
            .finish_non_exhaustive()
    }
}

/// Keys to verify with, and where they came from (for the reasons shown to the user).
#[derive(Debug, Default)]
pub struct KeySet {
    pub keys: Vec<VerifyKey>,
    pub origin: String,
    /// JWK entries that could not be used (unsupported `kty` or `crv`), with why.
    pub skipped: Vec<String>,
}

impl KeySet {
    /// A JWKS (`{"keys":[…]}`) or a single JWK, as JSON text or value.
    pub fn from_jwks_value(v: &Value, origin: &str) -> Result<Self, String> {
        let entries: Vec<Value> = match v.get("keys") {
            Some(Value::Array(a)) => a.clone(),
            Some(_) => return Err("`keys` is not an array".into()),
            None if v.get("kty").is_some() => vec![v.clone()],
            None => return Err("neither a JWKS (no `keys`) nor a JWK (no `kty`)".into()),
        };
        let mut set = KeySet {
            origin: origin.into(),
            ..Default::default()
        };
        for (i, e) in entries.iter().enumerate() {
            let kid = e.get("kid").and_then(Value::as_str).map(str::to_owned);
            let label = kid.clone().unwrap_or_else(|| format!("#{i}"));
            let kty = e.get("kty").and_then(Value::as_str).unwrap_or("");
            let crv = e.get("crv").and_then(Value::as_str).map(str::to_owned);
            if kty == "OKP" && crv.as_deref() != Some("Ed25519") {
                set.skipped.push(format!(
                    "key {label}: OKP curve {} is not supported (Ed25519 only)",
                    crv.as_deref().unwrap_or("?")
                ));
                continue;
            }
            let jwk: Jwk = match serde_json::from_value(e.clone()) {
                Ok(j) => j,
                Err(err) => {
                    set.skipped
                        .push(format!("key {label}: not a usable JWK ({err})"));
                    continue;
                }
            };
            let key = match DecodingKey::from_jwk(&jwk) {
                Ok(k) => k,
                Err(err) => {
                    set.skipped.push(format!("key {label}: {err}"));
                    continue;
                }
            };
            let family = match kty {
                "RSA" => KeyFamily::Rsa,
                "EC" => KeyFamily::Ec,
                "OKP" => KeyFamily::Ed,
                "oct" => KeyFamily::Hmac,
                other => {
                    set.skipped
                        .push(format!("key {label}: kty {other} is not supported"));
                    continue;
                }
            };
            set.keys.push(VerifyKey {
                kid,
                family,
                alg: e.get("alg").and_then(Value::as_str).map(str::to_owned),
                crv,
                for_encryption: e.get("use").and_then(Value::as_str) == Some("enc"),
                key,
            });
        }
        Ok(set)
    }

    /// Pasted key material: a JWKS or JWK (JSON) or a PEM public key (RSA, EC or Ed25519).
    pub fn parse(text: &str, origin: &str) -> Result<Self, String> {
        let t = text.trim();
        if t.starts_with('{') {
            let v: Value =
                serde_json::from_str(t).map_err(|e| format!("the key is not valid JSON: {e}"))?;
            return Self::from_jwks_value(&v, origin);
        }
        if t.starts_with("-----BEGIN") {
            if t.contains("PRIVATE KEY") {
                return Err(
                    "that is a private key; paste the public key (or a JWKS) instead".into(),
                );
            }
            let b = t.as_bytes();
            let (family, key) = if let Ok(k) = DecodingKey::from_rsa_pem(b) {
                (KeyFamily::Rsa, k)
            } else if let Ok(k) = DecodingKey::from_ec_pem(b) {
                (KeyFamily::Ec, k)
            } else if let Ok(k) = DecodingKey::from_ed_pem(b) {
                (KeyFamily::Ed, k)
            } else {
                return Err("the PEM is not an RSA, EC (P-256/P-384) or Ed25519 public key".into());
            };
            return Ok(KeySet {
                keys: vec![VerifyKey {
                    kid: None,
                    family,
                    alg: None,
                    crv: None,
                    for_encryption: false,
                    key,
                }],
                origin: origin.into(),
                skipped: vec![],
            });
        }
        Err("expected a JWKS or JWK (JSON) or a PEM public key".into())
    }

    /// A client secret as the HMAC key (OIDC Core §10.1: the octets of its UTF-8 form).
    pub fn from_client_secret(secret: &Secret, origin: &str) -> Self {
        KeySet {
            keys: vec![VerifyKey {
                kid: None,
                family: KeyFamily::Hmac,
                alg: None,
                crv: None,
                for_encryption: false,
                key: DecodingKey::from_secret(secret.expose().as_bytes()),
            }],
            origin: origin.into(),
            skipped: vec![],
        }
    }

    pub fn merge(&mut self, other: KeySet) {
        self.keys.extend(other.keys);
        self.skipped.extend(other.skipped);
        if self.origin.is_empty() {
            self.origin = other.origin;
        } else if !other.origin.is_empty() {
            self.origin = format!("{} and {}", self.origin, other.origin);
        }
    }

    pub fn has_kid(&self, kid: &str) -> bool {
        self.keys.iter().any(|k| k.kid.as_deref() == Some(kid))
    }
}

/// The result of a signature verification, with whether a refetch of the key set could help.
#[derive(Debug, Clone)]
pub struct SignatureOutcome {
    pub check: Check,
    /// The header named a `kid` the key set lacks: the issuer may have rotated its keys.
    pub unknown_kid: bool,
}

const SIG_SPEC: &str = "RFC 7515 §5.2";

/// Verifies a compact JWS against `keys`. `alg: none` and an HMAC `alg` against a public key
/// (algorithm confusion) are refused by name before any key is tried.
pub fn verify_signature(token: &str, keys: &KeySet) -> SignatureOutcome {
    let outcome = |check| SignatureOutcome {
        check,
        unknown_kid: false,
    };
    let parts: Vec<&str> = token.trim().split('.').collect();
    if parts.len() == 5 {
        return outcome(Check::not_applicable(
            "signature",
            "RFC 7516",
            "the token is encrypted (JWE); it cannot be verified without the recipient's private key",
        ));
    }
    if parts.len() != 3 {
        return outcome(Check::fail(
            "signature",
            "malformed",
            SIG_SPEC,
            "not a compact JWS (three base64url segments)",
        ));
    }
    let header: Value = match URL_SAFE_NO_PAD
        .decode(parts[0])
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
    {
        Some(v) => v,
        None => {
            return outcome(Check::fail(
                "signature",
                "malformed",
                SIG_SPEC,
                "the header is not base64url JSON",
            ));
        }
    };
    let alg_name = header.get("alg").and_then(Value::as_str).unwrap_or("");
    if alg_name.is_empty() {
        return outcome(Check::fail(
            "signature",
            "alg_missing",
            "RFC 7515 §4.1.1",
            "the header has no `alg`",
        ));
    }
    if alg_name.eq_ignore_ascii_case("none") {
        return outcome(Check::fail(
            "signature",
            "alg_none",
            "RFC 8725 §3.1",
            "`alg: none`: the token is unsigned, so anyone could have written it; unsigned tokens are never accepted",
        ));
    }
    let Ok(alg) = Algorithm::from_str(alg_name) else {
        return outcome(Check::fail(
            "signature",
            "unsupported_alg",
            "RFC 7518 §3.1",
            format!(
                "algorithm {alg_name} is not supported (RS/PS 256-512, ES256, ES384, EdDSA, HS 256-512 are)"
            ),
        ));
    };
    let family = KeyFamily::of_alg(alg);
    let kid = header.get("kid").and_then(Value::as_str);
    let usable: Vec<&VerifyKey> = keys.keys.iter().filter(|k| !k.for_encryption).collect();
    if usable.is_empty() {
        let why = if keys.skipped.is_empty() {
            String::new()
        } else {
            format!(" ({})", keys.skipped.join("; "))
        };
        return outcome(Check::fail(
            "signature",
            "no_keys",
            SIG_SPEC,
            format!("{} has no signing key{why}", display_origin(keys)),
        ));
    }
    if family == KeyFamily::Hmac && usable.iter().all(|k| k.family != KeyFamily::Hmac) {
        return outcome(Check::fail(
            "signature",
            "alg_confusion",
            "RFC 8725 §3.1",
            format!(
                "the header says {alg_name} (HMAC) but the keys are public keys: the algorithm-confusion attack, where a public key is misused as an HMAC secret; refused"
            ),
        ));
    }
    // `kid` selects among keys that carry one (RFC 7515 §4.1.4); keys without a kid (a PEM, a
    // client secret) remain candidates when no key carries the header's kid.
    let by_kid: Vec<&VerifyKey> = match kid {
        Some(kid) => {
            let named: Vec<&VerifyKey> = usable
                .iter()
                .copied()
                .filter(|k| k.kid.as_deref() == Some(kid))
                .collect();
            if named.is_empty() {
                usable.iter().copied().filter(|k| k.kid.is_none()).collect()
            } else {
                named
            }
        }
        None => usable.clone(),
    };
    if let Some(kid) = kid
        && by_kid.is_empty()
    {
        return SignatureOutcome {
            check: Check::fail(
                "signature",
                "unknown_kid",
                "RFC 7515 §4.1.4",
                format!("no key with kid \"{kid}\" in {}", display_origin(keys)),
            ),
            unknown_kid: true,
        };
    }
    let candidates: Vec<&VerifyKey> = by_kid
        .iter()
        .copied()
        .filter(|k| k.family == family)
        .collect();
    if candidates.is_empty() {
        let have = by_kid.first().map(|k| k.family.name()).unwrap_or("no key");
        let (code, spec) = if family == KeyFamily::Hmac {
            ("alg_confusion", "RFC 8725 §3.1")
        } else {
            ("key_mismatch", "RFC 7517 §4.4")
        };
        return outcome(Check::fail(
            "signature",
            code,
            spec,
            format!(
                "the header says {alg_name}, which needs {}, but the key{} is {have}",
                family.name(),
                kid.map(|k| format!(" \"{k}\"")).unwrap_or_default()
            ),
        ));
    }
    try_keys(&candidates, parts, alg, alg_name, keys)
}

fn try_keys(
    candidates: &[&VerifyKey],
    parts: Vec<&str>,
    alg: Algorithm,
    alg_name: &str,
    keys: &KeySet,
) -> SignatureOutcome {
    let message = format!("{}.{}", parts[0], parts[1]);
    let mut refusals = Vec::new();
    for k in candidates {
        if let Some(pinned) = &k.alg
            && pinned != alg_name
        {
            refusals.push(format!(
                "key {} is for {pinned}",
                k.kid.as_deref().unwrap_or("(no kid)")
            ));
            continue;
        }
        if let Some(crv) = &k.crv {
            let want = match alg {
                Algorithm::ES256 => Some("P-256"),
                Algorithm::ES384 => Some("P-384"),
                Algorithm::EdDSA => Some("Ed25519"),
                _ => None,
            };
            if want.is_some_and(|w| w != crv) {
                refusals.push(format!(
                    "key {} is on curve {crv}",
                    k.kid.as_deref().unwrap_or("(no kid)")
                ));
                continue;
            }
        }
        if let Ok(true) = jsonwebtoken::crypto::verify(parts[2], message.as_bytes(), &k.key, alg) {
            let which = k
                .kid
                .as_ref()
                .map(|kid| format!("key \"{kid}\""))
                .unwrap_or_else(|| "the key".into());
            return SignatureOutcome {
                check: Check::pass(
                    "signature",
                    SIG_SPEC,
                    format!(
                        "valid {alg_name} signature by {which} from {}",
                        display_origin(keys)
                    ),
                ),
                unknown_kid: false,
            };
        }
    }
    let extra = if refusals.is_empty() {
        String::new()
    } else {
        format!(" ({})", refusals.join("; "))
    };
    SignatureOutcome {
        check: Check::fail(
            "signature",
            "bad_signature",
            SIG_SPEC,
            format!(
                "the {alg_name} signature does not verify with {}{extra}: the token was altered or signed by another key",
                display_origin(keys)
            ),
        ),
        unknown_kid: false,
    }
}

fn display_origin(keys: &KeySet) -> String {
    if keys.origin.is_empty() {
        "the given keys".into()
    } else {
        keys.origin.clone()
    }
}

/// The `at_hash` / `c_hash` of a value (OIDC Core §3.1.3.6 / §3.3.2.11): the left half of the
/// hash that matches the JWS `alg`, base64url. `None` for algorithms without a defined hash.
pub fn half_hash(alg: &str, value: &str) -> Option<String> {
    let digest: Vec<u8> = match alg {
        "RS256" | "PS256" | "ES256" | "HS256" | "ES256K" => {
            sha2::Sha256::digest(value.as_bytes()).to_vec()
        }
        "RS384" | "PS384" | "ES384" | "HS384" => sha2::Sha384::digest(value.as_bytes()).to_vec(),
        // EdDSA with Ed25519 uses SHA-512 (OpenID Connect Core errata; OIDF's conformance suite).
        "RS512" | "PS512" | "ES512" | "HS512" | "EdDSA" | "Ed25519" => {
            sha2::Sha512::digest(value.as_bytes()).to_vec()
        }
        _ => return None,
    };
    Some(URL_SAFE_NO_PAD.encode(&digest[..digest.len() / 2]))
}

/// What the client knows when it checks an ID token (OIDC Core §3.1.3.7).
#[derive(Debug, Clone, Default)]
pub struct IdTokenContext<'a> {
    pub issuer: Option<&'a str>,
    pub client_id: Option<&'a str>,
    /// The nonce sent in the authorization request.
    pub nonce: Option<&'a str>,
    /// `max_age` sent in the authorization request.
    pub max_age: Option<i64>,
    /// The access token issued with the ID token, for `at_hash`.
    pub access_token: Option<&'a str>,
    /// True when the ID token came from the authorization endpoint together with an access
    /// token (implicit/hybrid): `at_hash` is then REQUIRED (§3.2.2.10).
    pub at_hash_required: bool,
    /// The authorization code, for `c_hash` (only known during the login itself).
    pub code: Option<&'a str>,
    /// The algorithms the client accepts (its registered `id_token_signed_response_alg`, or
    /// the server's advertised list), and where that expectation came from.
    pub expected_algs: Vec<String>,
    pub expected_algs_origin: &'a str,
    pub now: i64,
    pub skew: i64,
}

fn num(claims: &Value, name: &str) -> Option<i64> {
    match claims.get(name)? {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        _ => None,
    }
}

/// "in 4 min", "3 h ago": the relative form every reason uses.
pub fn relative(secs: i64) -> String {
    let a = secs.abs();
    if a < 5 {
        return "just now".into();
    }
    let span = if a < 90 {
        format!("{a} s")
    } else if a < 90 * 60 {
        format!("{} min", a / 60)
    } else if a < 48 * 3600 {
        format!("{} h", a / 3600)
    } else {
        format!("{} days", a / 86400)
    };
    if secs >= 0 {
        format!("in {span}")
    } else {
        format!("{span} ago")
    }
}

fn time_checks(
    claims: &Value,
    now: i64,
    skew: i64,
    spec: &str,
    checks: &mut Vec<Check>,
    required_iat: bool,
) {
    match claims.get("exp") {
        None => checks.push(Check::fail(
            "exp",
            "claim_missing",
            spec,
            "no `exp` claim: the token never says when it stops being valid",
        )),
        Some(_) => match num(claims, "exp") {
            None => checks.push(Check::fail(
                "exp",
                "claim_invalid",
                spec,
                "`exp` is not a number (NumericDate, RFC 7519 §2)",
            )),
            Some(exp) if now - skew >= exp => checks.push(Check::fail(
                "exp",
                "expired",
                spec,
                format!(
                    "expired {} (clock-skew tolerance {skew} s)",
                    relative(exp - now)
                ),
            )),
            Some(exp) => checks.push(Check::pass(
                "exp",
                spec,
                format!("expires {}", relative(exp - now)),
            )),
        },
    }
    match num(claims, "iat") {
        None if required_iat => checks.push(Check::fail("iat", "claim_missing", spec, "no `iat` claim")),
        None => checks.push(Check::not_applicable("iat", spec, "no `iat` claim")),
        Some(iat) if iat > now + skew => checks.push(Check::fail("iat", "iat_future", spec, format!("issued {} — in the future beyond the {skew} s clock-skew tolerance: the issuer's clock or the token is wrong", relative(iat - now)))),
        Some(iat) => checks.push(Check::pass("iat", spec, format!("issued {}", relative(iat - now)))),
    }
    match num(claims, "nbf") {
        None => checks.push(Check::not_applicable(
            "nbf",
            "RFC 7519 §4.1.5",
            "no `nbf` claim",
        )),
        Some(nbf) if nbf > now + skew => checks.push(Check::fail(
            "nbf",
            "not_yet_valid",
            "RFC 7519 §4.1.5",
            format!(
                "not valid before {} (beyond the {skew} s tolerance)",
                relative(nbf - now)
            ),
        )),
        Some(nbf) => checks.push(Check::pass(
            "nbf",
            "RFC 7519 §4.1.5",
            format!("valid since {}", relative(nbf - now)),
        )),
    }
}

fn audiences(claims: &Value) -> Vec<String> {
    match claims.get("aud") {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => vec![],
    }
}

fn iss_check(claims: &Value, issuer: Option<&str>, spec: &str, checks: &mut Vec<Check>) {
    let iss = claims.get("iss").and_then(Value::as_str);
    match (iss, issuer) {
        (None, _) => checks.push(Check::fail("iss", "claim_missing", spec, "no `iss` claim")),
        (Some(iss), None) => checks.push(Check::not_applicable(
            "iss",
            spec,
            format!("issued by {iss}; no expected issuer to compare with"),
        )),
        (Some(iss), Some(want)) if iss == want => {
            checks.push(Check::pass("iss", spec, format!("issuer is {iss}")))
        }
        (Some(iss), Some(want)) => checks.push(Check::fail(
            "iss",
            "iss_mismatch",
            spec,
            format!("issuer is {iss}, expected exactly {want}"),
        )),
    }
}

/// The ID token checks of OIDC Core §3.1.3.7 (signature excluded: see [`verify_signature`]),
/// each reported on its own.
pub fn id_token_checks(header: &Value, claims: &Value, ctx: &IdTokenContext<'_>) -> Vec<Check> {
    const S: &str = "OIDC Core §3.1.3.7";
    let mut checks = Vec::new();
    let alg = header.get("alg").and_then(Value::as_str).unwrap_or("");
    if ctx.expected_algs.is_empty() {
        checks.push(Check::not_applicable(
            "alg",
            "OIDC Core §3.1.3.7 (7)",
            format!("signed with {alg}; no client registration to compare with"),
        ));
    } else if ctx.expected_algs.iter().any(|a| a == alg) {
        checks.push(Check::pass(
            "alg",
            "OIDC Core §3.1.3.7 (7)",
            format!("{alg} is {}", ctx.expected_algs_origin),
        ));
    } else {
        checks.push(Check::fail(
            "alg",
            "alg_unexpected",
            "OIDC Core §3.1.3.7 (7)",
            format!(
                "signed with {alg}, but {} is {}",
                ctx.expected_algs.join(", "),
                ctx.expected_algs_origin
            ),
        ));
    }
    iss_check(claims, ctx.issuer, "OIDC Core §3.1.3.7 (2)", &mut checks);
    match claims.get("sub").and_then(Value::as_str) {
        Some(s) if !s.is_empty() => {
            checks.push(Check::pass("sub", "OIDC Core §2", format!("subject {s}")))
        }
        _ => checks.push(Check::fail(
            "sub",
            "claim_missing",
            "OIDC Core §2",
            "no `sub` claim: an ID token must name its subject",
        )),
    }
    let aud = audiences(claims);
    match ctx.client_id {
        _ if aud.is_empty() => checks.push(Check::fail("aud", "claim_missing", "OIDC Core §3.1.3.7 (3)", "no `aud` claim")),
        None => checks.push(Check::not_applicable("aud", "OIDC Core §3.1.3.7 (3)", format!("audience {}; no client to compare with", aud.join(", ")))),
        Some(cid) if aud.iter().any(|a| a == cid) => {
            checks.push(Check::pass("aud", "OIDC Core §3.1.3.7 (3)", if aud.len() == 1 { format!("audience is this client ({cid})") } else { format!("audiences {} include this client", aud.join(", ")) }))
        }
        Some(cid) => checks.push(Check::fail("aud", "aud_mismatch", "OIDC Core §3.1.3.7 (3)", format!("audience {} does not include this client ({cid}): the token was issued to someone else", aud.join(", ")))),
    }
    let azp = claims.get("azp").and_then(Value::as_str);
    match (azp, ctx.client_id) {
        (Some(azp), Some(cid)) if azp != cid => checks.push(Check::fail(
            "azp",
            "azp_mismatch",
            "OIDC Core §3.1.3.7 (5)",
            format!("authorized party is {azp}, not this client ({cid})"),
        )),
        (Some(azp), _) => checks.push(Check::pass(
            "azp",
            "OIDC Core §3.1.3.7 (5)",
            format!("authorized party is {azp}"),
        )),
        (None, _) if aud.len() > 1 => checks.push(Check::warn(
            "azp",
            "azp_missing",
            "OIDC Core §3.1.3.7 (4)",
            "several audiences but no `azp`: the client cannot tell who the token was issued to",
        )),
        (None, _) => checks.push(Check::not_applicable(
            "azp",
            "OIDC Core §3.1.3.7 (4)",
            "single audience, no `azp` needed",
        )),
    }
    time_checks(claims, ctx.now, ctx.skew, S, &mut checks, true);
    let nonce = claims.get("nonce").and_then(Value::as_str);
    match (ctx.nonce, nonce) {
        (Some(sent), Some(got)) if sent == got => checks.push(Check::pass(
            "nonce",
            "OIDC Core §3.1.3.7 (11)",
            "matches the nonce sent in the authorization request",
        )),
        (Some(_), Some(_)) => checks.push(Check::fail(
            "nonce",
            "nonce_mismatch",
            "OIDC Core §3.1.3.7 (11)",
            "differs from the nonce sent: a replayed or substituted ID token",
        )),
        (Some(_), None) => checks.push(Check::fail(
            "nonce",
            "nonce_missing",
            "OIDC Core §3.1.3.7 (11)",
            "a nonce was sent but the ID token has none",
        )),
        (None, Some(_)) => checks.push(Check::not_applicable(
            "nonce",
            "OIDC Core §3.1.3.7 (11)",
            "the token has a nonce but none is known to compare with",
        )),
        (None, None) => checks.push(Check::not_applicable(
            "nonce",
            "OIDC Core §3.1.3.7 (11)",
            "no nonce was sent",
        )),
    }
    match (ctx.max_age, num(claims, "auth_time")) {
        (Some(_), None) => checks.push(Check::fail(
            "auth_time",
            "auth_time_missing",
            "OIDC Core §3.1.3.7 (13)",
            "max_age was requested but the ID token has no `auth_time`",
        )),
        (Some(max), Some(at)) => {
            let reference = num(claims, "iat").unwrap_or(ctx.now);
            if reference - at > max + ctx.skew {
                checks.push(Check::fail(
                    "auth_time",
                    "auth_too_old",
                    "OIDC Core §3.1.3.7 (13)",
                    format!(
                        "the user authenticated {} s before issue, more than max_age {max} s",
                        reference - at
                    ),
                ));
            } else {
                checks.push(Check::pass(
                    "auth_time",
                    "OIDC Core §3.1.3.7 (13)",
                    format!(
                        "authenticated {} s before issue, within max_age {max} s",
                        reference - at
                    ),
                ));
            }
        }
        (None, Some(at)) => checks.push(Check::not_applicable(
            "auth_time",
            "OIDC Core §3.1.3.7 (13)",
            format!(
                "authenticated {}; no max_age was requested",
                relative(at - ctx.now)
            ),
        )),
        (None, None) => checks.push(Check::not_applicable(
            "auth_time",
            "OIDC Core §3.1.3.7 (13)",
            "no max_age was requested",
        )),
    }
    checks.push(hash_check(
        "at_hash",
        claims.get("at_hash").and_then(Value::as_str),
        alg,
        ctx.access_token,
        ctx.at_hash_required,
        "OIDC Core §3.2.2.9",
        "access token",
        "the access token is not at hand",
    ));
    checks.push(hash_check(
        "c_hash",
        claims.get("c_hash").and_then(Value::as_str),
        alg,
        ctx.code,
        false,
        "OIDC Core §3.3.2.11",
        "authorization code",
        "the code is single-use and is not kept after the login",
    ));
    checks
}

#[allow(clippy::too_many_arguments)]
fn hash_check(
    name: &str,
    claim: Option<&str>,
    alg: &str,
    value: Option<&str>,
    required: bool,
    spec: &str,
    what: &str,
    unknown: &str,
) -> Check {
    match (claim, value) {
        (None, _) if required => Check::fail(
            name,
            &format!("{name}_missing"),
            spec,
            format!("`{name}` is required here but absent"),
        ),
        (None, _) => Check::not_applicable(
            name,
            spec,
            format!("no `{name}` claim (optional in this response)"),
        ),
        (Some(_), None) => {
            Check::not_applicable(name, spec, format!("`{name}` is present but {unknown}"))
        }
        (Some(got), Some(v)) => match half_hash(alg, v) {
            None => Check::fail(
                name,
                "unsupported_alg",
                spec,
                format!("no hash is defined for alg {alg}"),
            ),
            Some(want) if want == got => Check::pass(name, spec, format!("matches the {what}")),
            Some(_) => Check::fail(
                name,
                &format!("{name}_mismatch"),
                spec,
                format!(
                    "does not match the {what}: the token and the {what} were not issued together"
                ),
            ),
        },
    }
}

/// What the client knows when it checks a JWT access token (RFC 9068).
#[derive(Debug, Clone, Default)]
pub struct AccessTokenContext<'a> {
    pub issuer: Option<&'a str>,
    pub client_id: Option<&'a str>,
    /// The `resource` / `audience` the token was requested for, if any.
    pub resource: Option<&'a str>,
    pub now: i64,
    pub skew: i64,
}

/// Whether the header declares the RFC 9068 profile (`typ` `at+jwt`).
pub fn is_rfc9068(header: &Value) -> bool {
    header.get("typ").and_then(Value::as_str).is_some_and(|t| {
        t.eq_ignore_ascii_case("at+jwt") || t.eq_ignore_ascii_case("application/at+jwt")
    })
}

/// RFC 9068 §4 checks. A JWT access token without `typ: at+jwt` is the provider's own format:
/// to the client an access token is opaque (RFC 6749 §1.4), so its checks are advisory (warn).
pub fn access_token_checks(
    header: &Value,
    claims: &Value,
    ctx: &AccessTokenContext<'_>,
) -> Vec<Check> {
    const S: &str = "RFC 9068 §2.2";
    let profile = is_rfc9068(header);
    let mut checks = Vec::new();
    let typ = header.get("typ").and_then(Value::as_str);
    if profile {
        checks.push(Check::pass(
            "typ",
            "RFC 9068 §2.1",
            format!("typ is {}", typ.unwrap_or("")),
        ));
    } else {
        checks.push(Check::warn(
            "typ",
            "not_rfc9068",
            "RFC 9068 §2.1",
            format!(
                "typ is {}, not at+jwt: a provider-specific JWT, so these checks are advisory",
                typ.unwrap_or("absent")
            ),
        ));
    }
    let mut rest = Vec::new();
    iss_check(claims, ctx.issuer, "RFC 9068 §4", &mut rest);
    let aud = audiences(claims);
    match ctx.resource {
        _ if aud.is_empty() => rest.push(Check::fail(
            "aud",
            "claim_missing",
            S,
            "no `aud` claim: RFC 9068 requires the resource server's identifier",
        )),
        Some(r) if !aud.iter().any(|a| a == r) => rest.push(Check::fail(
            "aud",
            "aud_mismatch",
            "RFC 9068 §4",
            format!(
                "audience {} does not include the requested resource {r}",
                aud.join(", ")
            ),
        )),
        _ => rest.push(Check::pass(
            "aud",
            S,
            format!("audience {}", aud.join(", ")),
        )),
    }
    match (
        claims.get("client_id").and_then(Value::as_str),
        ctx.client_id,
    ) {
        (None, _) => rest.push(Check::fail(
            "client_id",
            "claim_missing",
            S,
            "no `client_id` claim",
        )),
        (Some(got), Some(want)) if got != want => rest.push(Check::fail(
            "client_id",
            "client_id_mismatch",
            S,
            format!("issued to client {got}, not {want}"),
        )),
        (Some(got), _) => rest.push(Check::pass(
            "client_id",
            S,
            format!("issued to client {got}"),
        )),
    }
    match claims.get("jti").and_then(Value::as_str) {
        Some(j) if !j.is_empty() => rest.push(Check::pass("jti", S, "has a unique identifier")),
        _ => rest.push(Check::fail("jti", "claim_missing", S, "no `jti` claim")),
    }
    match claims.get("sub").and_then(Value::as_str) {
        Some(s) => rest.push(Check::pass("sub", S, format!("subject {s}"))),
        None => rest.push(Check::fail("sub", "claim_missing", S, "no `sub` claim")),
    }
    match (claims.get("scope"), claims.get("scp")) {
        (Some(Value::String(s)), _) => rest.push(Check::pass(
            "scope",
            "RFC 9068 §2.2.3",
            format!("scope {s}"),
        )),
        (_, Some(v)) => rest.push(Check::warn(
            "scope",
            "scp_instead_of_scope",
            "RFC 9068 §2.2.3",
            format!("scopes are in `scp` ({v}) rather than RFC 9068's `scope`"),
        )),
        _ => rest.push(Check::warn(
            "scope",
            "scope_absent",
            "RFC 9068 §2.2.3",
            "no `scope` claim",
        )),
    }
    time_checks(claims, ctx.now, ctx.skew, S, &mut rest, true);
    checks.extend(
        rest.into_iter()
            .map(|c| if profile { c } else { c.soften() }),
    );
    checks
}

/// Scopes of a JWT access token: `scope` (space-separated) or `scp` (array or string).
pub fn token_scopes(claims: &Value) -> Option<Vec<String>> {
    let split = |s: &str| {
        s.split([' ', ','])
            .filter(|x| !x.is_empty())
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    match (claims.get("scope"), claims.get("scp")) {
        (Some(Value::String(s)), _) => Some(split(s)),
        (Some(Value::Array(a)), _) | (_, Some(Value::Array(a))) => Some(
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
        ),
        (_, Some(Value::String(s))) => Some(split(s)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn half_hash_matches_the_oidc_core_example() {
        // OIDC Core §A.3: access token "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y", at_hash "77QmUPtjPfzWtF2AnpK9RQ" (RS256).
        assert_eq!(
            half_hash("RS256", "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y").as_deref(),
            Some("77QmUPtjPfzWtF2AnpK9RQ")
        );
        assert_eq!(half_hash("none", "x"), None);
    }

    fn b64(v: &Value) -> String {
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(v).unwrap())
    }

    #[test]
    fn refuses_alg_none_and_hmac_against_public_keys() {
        let jwks = json!({"keys":[{"kty":"RSA","kid":"k1","n":"sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1WlUzewbgBHod5pcM9H95GQRV3JDXboIRROSBigeC5yjU1hGzHHyXss8UDprecbAYxknTcQkhslANGRUZmdTOQ5qTRsLAt6BTYuyvVRdhS8exSZEy_c4gs_7svlJJQ4H9_NxsiIoLwAEk7-Q3UXERGYw_75IDrGA84-lA_-Ct4eTlXHBIY2EaV7t7LjJaynVJCpkv4LKjTTAumiGUIuQhrNhZLuF_RJLqHpM2kgWFLU7-VTdL1VbC2tejvcI2BlMkEpk1BzBZI0KQB0GaDWFLN-aEAw3vRw","e":"AQAB"}]});
        let keys = KeySet::from_jwks_value(&jwks, "test JWKS").unwrap();
        let none = format!(
            "{}.{}.",
            b64(&json!({"alg":"none"})),
            b64(&json!({"sub":"x"}))
        );
        let out = verify_signature(&none, &keys);
        assert_eq!(out.check.code.as_deref(), Some("alg_none"));
        let hs = format!(
            "{}.{}.c2ln",
            b64(&json!({"alg":"HS256","kid":"k1"})),
            b64(&json!({"sub":"x"}))
        );
        assert_eq!(
            verify_signature(&hs, &keys).check.code.as_deref(),
            Some("alg_confusion")
        );
        let unknown = format!(
            "{}.{}.c2ln",
            b64(&json!({"alg":"RS256","kid":"other"})),
            b64(&json!({"sub":"x"}))
        );
        let out = verify_signature(&unknown, &keys);
        assert_eq!(out.check.code.as_deref(), Some("unknown_kid"));
        assert!(out.unknown_kid);
        let bad = format!(
            "{}.{}.c2ln",
            b64(&json!({"alg":"RS256","kid":"k1"})),
            b64(&json!({"sub":"x"}))
        );
        assert_eq!(
            verify_signature(&bad, &keys).check.code.as_deref(),
            Some("bad_signature")
        );
    }

    #[test]
    fn hmac_with_client_secret_verifies_and_detects_tampering() {
        let secret = Secret::new("client-secret-of-at-least-32-bytes!!");
        let header = b64(&json!({"alg":"HS256"}));
        let payload = b64(&json!({"sub":"alice"}));
        let key = jsonwebtoken::EncodingKey::from_secret(secret.expose().as_bytes());
        let sig = jsonwebtoken::crypto::sign(
            format!("{header}.{payload}").as_bytes(),
            &key,
            Algorithm::HS256,
        )
        .unwrap();
        let keys = KeySet::from_client_secret(&secret, "the client secret");
        let ok = verify_signature(&format!("{header}.{payload}.{sig}"), &keys);
        assert_eq!(ok.check.status, CheckStatus::Pass, "{:?}", ok.check);
        let tampered = b64(&json!({"sub":"mallory"}));
        assert_eq!(
            verify_signature(&format!("{header}.{tampered}.{sig}"), &keys)
                .check
                .code
                .as_deref(),
            Some("bad_signature")
        );
    }

    #[test]
    fn id_token_checks_name_each_failure() {
        let now = 1_700_000_000;
        let header = json!({"alg":"RS256"});
        let ctx = IdTokenContext {
            issuer: Some("https://op"),
            client_id: Some("rp"),
            nonce: Some("n-1"),
            now,
            skew: 30,
            expected_algs: vec!["RS256".into()],
            expected_algs_origin: "the default",
            ..Default::default()
        };
        let good =
            json!({"iss":"https://op","aud":"rp","sub":"u","exp":now+60,"iat":now,"nonce":"n-1"});
        let checks = id_token_checks(&header, &good, &ctx);
        assert!(checks.iter().all(|c| !c.failed()), "{checks:?}");
        let code = |claims: Value, name: &str| {
            id_token_checks(&header, &claims, &ctx)
                .into_iter()
                .find(|c| c.name == name)
                .and_then(|c| c.code)
        };
        assert_eq!(code(json!({"iss":"https://evil","aud":"rp","sub":"u","exp":now+60,"iat":now,"nonce":"n-1"}), "iss").as_deref(), Some("iss_mismatch"));
        assert_eq!(code(json!({"iss":"https://op","aud":"other","sub":"u","exp":now+60,"iat":now,"nonce":"n-1"}), "aud").as_deref(), Some("aud_mismatch"));
        assert_eq!(code(json!({"iss":"https://op","aud":"rp","sub":"u","exp":now-31,"iat":now-100,"nonce":"n-1"}), "exp").as_deref(), Some("expired"));
        assert_eq!(code(json!({"iss":"https://op","aud":"rp","sub":"u","exp":now+600,"iat":now+300,"nonce":"n-1"}), "iat").as_deref(), Some("iat_future"));
        assert_eq!(
            code(
                json!({"iss":"https://op","aud":"rp","sub":"u","exp":now+60,"iat":now}),
                "nonce"
            )
            .as_deref(),
            Some("nonce_missing")
        );
        assert_eq!(
            code(
                json!({"iss":"https://op","aud":"rp","sub":"u","exp":now+60,"iat":now,"nonce":"x"}),
                "nonce"
            )
            .as_deref(),
            Some("nonce_mismatch")
        );
        assert_eq!(code(json!({"iss":"https://op","aud":["rp","x"],"azp":"x","sub":"u","exp":now+60,"iat":now,"nonce":"n-1"}), "azp").as_deref(), Some("azp_mismatch"));
        // Within the skew: an `exp` 20 s ago still passes with 30 s tolerance.
        assert_eq!(
            code(
                json!({"iss":"https://op","aud":"rp","sub":"u","exp":now-20,"iat":now-100,"nonce":"n-1"}),
                "exp"
            ),
            None
        );
        let with_at = IdTokenContext {
            access_token: Some("jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y"),
            ..ctx.clone()
        };
        let bad_at = json!({"iss":"https://op","aud":"rp","sub":"u","exp":now+60,"iat":now,"nonce":"n-1","at_hash":"AAAAAAAAAAAAAAAAAAAAAA"});
        let at = id_token_checks(&header, &bad_at, &with_at)
            .into_iter()
            .find(|c| c.name == "at_hash")
            .unwrap();
        assert_eq!(at.code.as_deref(), Some("at_hash_mismatch"));
    }

    #[test]
    fn rfc9068_checks_are_strict_only_for_at_jwt() {
        let now = 1_700_000_000;
        let ctx = AccessTokenContext {
            issuer: Some("https://op"),
            client_id: Some("rp"),
            resource: None,
            now,
            skew: 0,
        };
        let claims = json!({"iss":"https://op","aud":"api","client_id":"other","sub":"u","exp":now+60,"iat":now,"jti":"1","scope":"a b"});
        let strict = access_token_checks(&json!({"alg":"RS256","typ":"at+jwt"}), &claims, &ctx);
        assert!(strict.iter().any(|c| c.name == "client_id" && c.failed()));
        let loose = access_token_checks(&json!({"alg":"RS256","typ":"JWT"}), &claims, &ctx);
        assert!(
            loose.iter().all(|c| !c.failed()),
            "provider-specific JWTs get warnings, not failures"
        );
        assert_eq!(
            token_scopes(&json!({"scp":["a","b"]})),
            Some(vec!["a".to_string(), "b".to_string()])
        );
    }
}
