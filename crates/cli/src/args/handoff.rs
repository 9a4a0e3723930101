//! `oauthdesk header`, `oauthdesk exec` and `oauthdesk curl`: a fresh token handed to another
//! program — printed as HTTP headers, put in a command's environment, or given to curl.

use super::values::parse_text;
use clap::Args;
use std::ffi::OsString;

#[derive(Args)]
#[command(after_help = "Examples:
  oauthdesk header api
  oauthdesk header api --json
  oauthdesk header api --method POST --url https://api.example.com/v1/items   # a DPoP-bound grant

Prints `Authorization: Bearer <token>`, or for a DPoP-bound grant `Authorization: DPoP <token>` and a
`DPoP: <proof>` line (RFC 9449) for --method and --url. --json prints {\"Authorization\": …, \"DPoP\": …}
(DPoP left out for Bearer): the format of an AI agent's headers helper (Claude Code's
`headersHelper`, MCP clients).

Exit status: 0, 1 on an error, 3 when a login is needed and could not be done.")]
pub struct HeaderArgs {
    pub name: String,
    /// The method of the request the DPoP proof is for.
    #[arg(long, default_value = "GET", value_parser = parse_text)]
    pub method: String,
    /// The URL of the request the DPoP proof is for (required for a DPoP-bound grant).
    #[arg(long, value_parser = parse_text)]
    pub url: Option<String>,
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub common: HandoffCommon,
}

#[derive(Args)]
#[command(after_help = "Examples:
  oauthdesk exec api -- make deploy                           # the token in $OAUTHDESK_TOKEN
  oauthdesk exec api --env GITHUB_TOKEN -- gh repo list
  oauthdesk exec api --env-header AUTH -- sh -c 'curl -H \"Authorization: $AUTH\" https://api.example.com/me'

The token is put in each --env VAR (OAUTHDESK_TOKEN when neither --env nor --env-header is given)
and the whole Authorization header value (`Bearer …`) in each --env-header VAR; never on a
command line or on disk. SIGINT, SIGTERM and SIGHUP are passed on to the command.
After `exec`, --env names a variable; before it (`oauthdesk --env staging exec …`) it chooses
the environment whose {{variables}} are used, as for every command.

Exit status: the command's (128 + the signal's number when a signal ended it); 3 when a login
is needed and could not be done; 1 when the command could not be started.")]
pub struct ExecArgs {
    pub name: String,
    /// An environment variable to hold the access token; repeatable.
    #[arg(long = "env", value_name = "VAR", value_parser = parse_env_name)]
    pub env: Vec<String>,
    /// An environment variable to hold the whole Authorization value (`Bearer …`); repeatable.
    #[arg(long = "env-header", value_name = "VAR", value_parser = parse_env_name)]
    pub env_header: Vec<String>,
    #[command(flatten)]
    pub common: HandoffCommon,
    /// The command and its arguments, after `--`.
    #[arg(last = true, required = true, value_name = "COMMAND")]
    pub command: Vec<OsString>,
}

#[derive(Args)]
#[command(after_help = "Examples:
  oauthdesk curl api -- -s https://api.example.com/v1/me
  oauthdesk curl api -- -X POST -d @item.json https://api.example.com/v1/items

Runs the system curl with the Authorization header (and, for a DPoP-bound grant, a DPoP proof for
the first http(s) URL among the arguments and the method of -X/--request, else POST with
-d/--data*, else GET). The headers reach curl on a pipe (`-H @/dev/fd/N`), never on its command
line, so `ps` does not show the token.

Exit status: curl's; 3 when a login is needed and could not be done.")]
pub struct CurlArgs {
    pub name: String,
    #[command(flatten)]
    pub common: HandoffCommon,
    /// curl's arguments, after `--`.
    #[arg(last = true, value_name = "CURL-ARGS")]
    pub curl_args: Vec<OsString>,
}

/// `exec --env VAR` names a variable, the global `--env NAME` an environment: clap shares one
/// value between a global argument and a subcommand's of the same name, so for `exec` both are
/// read again from the command line — `--env` before `exec` is the environment, after it (and
/// before `--`) a variable.
pub fn split_exec_env(cli: &mut super::Cli, argv: &[OsString]) -> Result<(), clap::Error> {
    let super::Command::Exec(a) = &mut cli.command else {
        return Ok(());
    };
    let (mut global, mut local) = (None, Vec::new());
    let mut after_exec = false;
    let mut i = 1;
    while i < argv.len() {
        let token = argv[i].to_str();
        let value = match token {
            Some("--") if after_exec => break,
            Some("--env") => {
                i += 1;
                argv.get(i).and_then(|v| v.to_str()).map(str::to_owned)
            }
            Some(t) if t.starts_with("--env=") => Some(t["--env=".len()..].to_owned()),
            Some("exec") => {
                after_exec = true;
                None
            }
            _ => None,
        };
        if let Some(v) = value {
            if after_exec {
                local.push(v);
            } else {
                global = Some(v);
            }
        }
        i += 1;
    }
    for v in &local {
        parse_env_name(v).map_err(|e| {
            use clap::CommandFactory;
            super::Cli::command().error(
                clap::error::ErrorKind::ValueValidation,
                format!("invalid value for --env after exec: {e}"),
            )
        })?;
    }
    cli.env = global;
    a.env = local;
    Ok(())
}

/// What every handoff command takes.
#[derive(Args)]
pub struct HandoffCommon {
    /// When the grant needs a new login, log in (browser) and go on even when stdin is not a
    /// terminal.
    #[arg(long)]
    pub login_if_needed: bool,
    /// Refresh the token first when it expires within this many seconds.
    #[arg(long, default_value_t = 30)]
    pub min_ttl: i64,
}

/// An environment variable name as shells take it: a letter or `_`, then letters, digits, `_`.
fn parse_env_name(s: &str) -> Result<String, String> {
    let mut chars = s.chars();
    let ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && s.len() <= 256;
    if ok {
        Ok(s.to_owned())
    } else {
        Err(format!(
            "{:?} is not an environment variable name (letters, digits and _, not starting with a digit)",
            oauthdesk_core::protocol::text::escape_controls(s, false)
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::{parse_env_name, split_exec_env};
    use crate::args::{Cli, Command};
    use clap::{CommandFactory, Parser};
    use std::ffi::OsString;

    fn parse(args: &[&str]) -> Cli {
        let argv: Vec<OsString> = args.iter().map(OsString::from).collect();
        let mut cli = Cli::try_parse_from(&argv).expect("parses");
        split_exec_env(&mut cli, &argv).expect("valid names");
        cli
    }

    fn exec_env(cli: &Cli) -> Vec<String> {
        match &cli.command {
            Command::Exec(a) => a.env.clone(),
            _ => panic!("exec parses as exec"),
        }
    }

    #[test]
    fn exec_env_is_the_variable_and_the_global_env_stays_the_environment() {
        Cli::command().debug_assert();
        let cli = parse(&["oauthdesk", "exec", "api", "--env", "T", "--", "true"]);
        assert_eq!(exec_env(&cli), ["T"], "exec's --env is the variable");
        assert_eq!(cli.env, None, "and not an environment to use");
        let cli = parse(&["oauthdesk", "--env", "staging", "exec", "api", "--", "true"]);
        assert_eq!(
            cli.env.as_deref(),
            Some("staging"),
            "--env before the command is the environment, as for every command"
        );
        assert!(exec_env(&cli).is_empty(), "and no variable");
        let cli = parse(&[
            "oauthdesk",
            "--env=staging",
            "exec",
            "api",
            "--env",
            "A",
            "--env=B",
            "--env-header",
            "H",
            "--",
            "sh",
            "--env",
            "x",
        ]);
        assert_eq!(
            cli.env.as_deref(),
            Some("staging"),
            "both at once: the environment"
        );
        assert_eq!(
            exec_env(&cli),
            ["A", "B"],
            "and the variables, not the command's own"
        );
        let cli = parse(&["oauthdesk", "grants", "--env", "prod"]);
        assert_eq!(
            cli.env.as_deref(),
            Some("prod"),
            "other commands are untouched"
        );
    }

    #[test]
    fn env_names_are_shell_names() {
        assert!(parse_env_name("OAUTHDESK_TOKEN").is_ok());
        assert!(parse_env_name("_x1").is_ok());
        for bad in ["", "1X", "A=B", "A B", "A\u{1b}"] {
            assert!(parse_env_name(bad).is_err(), "{bad:?} is refused as a name");
        }
    }
}
