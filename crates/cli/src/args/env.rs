//! `oauthdesk env …`: environments and their `{{variables}}`.

use super::values::parse_text;
use clap::Subcommand;

#[derive(Subcommand)]
pub enum EnvCommand {
    /// List environments; the active one is marked.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Show an environment's variables (secret values masked), the active one by default.
    Show {
        name: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Create an empty environment.
    Create {
        #[arg(value_parser = parse_text)]
        name: String,
    },
    /// Rename an environment.
    Rename {
        name: String,
        #[arg(value_parser = parse_text)]
        new_name: String,
    },
    /// Delete an environment, its variables and its secret values in the keychain.
    Delete { name: String },
    /// Make NAME the active environment for the app and the CLI (`--none`: no environment).
    Use {
        #[arg(required_unless_present = "none")]
        name: Option<String>,
        #[arg(long, conflicts_with = "name")]
        none: bool,
    },
    /// Set a variable. With --secret the value goes to the keychain; give it on stdin (VALUE
    /// omitted) so that neither `ps` nor the shell history sees it.
    Set {
        name: String,
        var: String,
        #[arg(value_parser = parse_text)]
        value: Option<String>,
        #[arg(long)]
        secret: bool,
    },
    /// Remove a variable (a secret one leaves the keychain too).
    Unset { name: String, var: String },
    /// Print one variable's value, a secret one included (the explicit reveal).
    Get { name: String, var: String },
    /// Import a Postman environment file (`secret`-typed values into the keychain).
    Import {
        file: std::path::PathBuf,
        #[arg(long)]
        json: bool,
    },
}
