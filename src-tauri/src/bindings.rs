//! `ui/src/bindings.ts`, generated from the Rust types that cross IPC (ts-rs). The test below
//! fails when the committed file is stale; `UPDATE_BINDINGS=1 cargo test -p oauthdesk-app
//! bindings` rewrites it.

use ts_rs::{Config, TS};

macro_rules! declare {
    ($cfg:expr, $out:expr, $($ty:ty),* $(,)?) => {
        $( $out.push(format!("export {}", <$ty as TS>::decl($cfg))); )*
    };
}

pub fn typescript() -> String {
    use oauthdesk_core::desk::*;
    use oauthdesk_core::model::*;
    use oauthdesk_core::protocol::{
        OAuthError,
        client_auth::AuthMethod,
        discovery::ServerMetadata,
        endpoint::Deviation,
        transcript::*,
        verify::{Check, CheckStatus, Verdict, VerdictStatus},
    };
    let cfg = Config::new().with_large_int("number");
    let mut out = vec![
        "// Generated from Rust by src-tauri/src/bindings.rs (ts-rs). Do not edit by hand.".to_owned(),
        "export type JsonValue = number | string | boolean | Array<JsonValue> | { [key in string]?: JsonValue } | null;".to_owned(),
    ];
    declare!(
        &cfg,
        out,
        AuthMethod,
        oauthdesk_core::protocol::jar::JarMode,
        ServerMetadata,
        Deviation,
        OAuthError,
        RecordedRequest,
        RecordedResponse,
        Exchange,
        Endpoints,
        ClientSpec,
        oauthdesk_core::protocol::mtls::CertificateInfo,
        CertificateImport,
        Client,
        GrantType,
        GrantStatus,
        GrantView,
        oauthdesk_core::grant_state::AccessState,
        oauthdesk_core::grant_state::RefreshState,
        oauthdesk_core::grant_state::Headline,
        oauthdesk_core::grant_state::TokenStates,
        GrantSummary,
        GrantPage,
        FlowEvent,
        HistoryEvent,
        RerunOptions,
        FlowTranscript,
        RevokeWhich,
        JwtParts,
        TokenInfo,
        oauthdesk_core::protocol::rar::DetailStatus,
        oauthdesk_core::protocol::rar::DetailComparison,
        GrantInspection,
        TokenKind,
        DecodedToken,
        ApiRequest,
        ApiResponse,
        ChallengeKind,
        TokenVerdict,
        CallChallenge,
        StepUpPlan,
        SteppedUp,
        SavedRequest,
        Settings,
        NetworkSettings,
        ProxyMode,
        KeychainStatus,
        CheckStatus,
        Check,
        TokenFindings,
        ScopeComparison,
        Inspection,
        VerifyOptions,
        TokenVerification,
        VerdictStatus,
        Verdict,
        AuditRow,
        AuditPage,
        AuditFilter,
        AuditFormat,
        Severity,
        Finding,
        ProviderReport,
        oauthdesk_core::protocol::profile::Outcome,
        oauthdesk_core::protocol::profile::ProfileCheck,
        ProfileVerdict,
        ProfileReport,
        CibaSettings,
        oauthdesk_core::protocol::grant::ciba::DeliveryMode,
        crate::ciba::HighAssuranceLogin,
        crate::ciba::CibaSettingsInput,
        ImportReport,
        LogoutOutcome,
        RegistrationRequest,
        ExchangeRequest,
        TokenSource,
        oauthdesk_core::presets::Preset,
        Environment,
        Variable,
        EnvironmentImport,
        oauthdesk_core::protocol::challenge::ResourceChallenge,
        oauthdesk_core::protocol::resource::as_discovery::Attempt,
        oauthdesk_core::protocol::resource::MetadataSource,
        oauthdesk_core::protocol::resource::ResourceMatch,
        oauthdesk_core::protocol::resource::SignedMetadata,
        oauthdesk_core::protocol::resource::ResourceMetadata,
        oauthdesk_core::protocol::resource::FetchedMetadata,
        oauthdesk_core::protocol::mcp::McpSession,
        oauthdesk_core::protocol::mcp::McpTool,
        ProbeOptions,
        ServerProbe,
        ResourceProbe,
        ClientIdentity,
        ResourceClientRequest,
        ResourceClient,
        McpOptions,
        McpOutcome,
        McpStep,
        RevisionVerdict,
        McpReport,
        crate::resource::ProbeAnswer,
        crate::commands::AppInfo,
        crate::commands::LoginRequest,
        crate::commands::LoginResult,
        crate::ipc::IpcError,
    );
    out.join("\n\n") + "\n"
}

#[cfg(test)]
mod tests {
    #[test]
    fn bindings_are_fresh() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/bindings.ts");
        let generated = super::typescript();
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(&path, &generated).expect("write bindings");
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == generated,
            "ui/src/bindings.ts is stale: run `UPDATE_BINDINGS=1 cargo test -p oauthdesk-app bindings` and commit it"
        );
    }
}
