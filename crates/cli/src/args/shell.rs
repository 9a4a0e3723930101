//! Shell integration: `oauthdesk completions SHELL` and the hidden `oauthdesk man` that the
//! bundle step runs to write the man pages.

use clap::Args;
use std::path::PathBuf;

#[derive(Args)]
#[command(after_help = "Load them:
  bash:        source <(oauthdesk completions bash)      (or save to ~/.local/share/bash-completion/completions/oauthdesk)
  zsh:         oauthdesk completions zsh > \"${fpath[1]}/_oauthdesk\"
  fish:        oauthdesk completions fish > ~/.config/fish/completions/oauthdesk.fish
  PowerShell:  oauthdesk completions powershell | Out-String | Invoke-Expression")]
pub struct CompletionsArgs {
    /// The shell to write the completion script for.
    pub shell: clap_complete::Shell,
}

#[derive(Args)]
pub struct ManArgs {
    /// Write oauthdesk.1 and one page per subcommand (oauthdesk-login.1, …) into this directory
    /// instead of printing oauthdesk.1 to stdout.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}
