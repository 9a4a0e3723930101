//! Opening the system browser (never an embedded webview: RFC 8252 §8.12). `$BROWSER` wins, as
//! with git, gh and Python's webbrowser: a command run with the URL as its argument (`%s` in it
//! is replaced instead). Otherwise the platform opener.

use crate::error::{CoreError, Result};

#[derive(Debug, Clone, Default)]
pub enum Launcher {
    /// `$BROWSER`, else xdg-open / open / start.
    #[default]
    System,
    /// This command instead (tests, or a user's choice).
    Command(String),
}

impl Launcher {
    /// Opens `url`, which must be http or https: URLs come from servers (a device flow's
    /// `verification_uri`), and a `file:` or `javascript:` one must never reach a browser.
    pub fn open(&self, url: &str) -> Result<()> {
        let scheme = url::Url::parse(url).map(|u| u.scheme().to_owned());
        if !matches!(scheme.as_deref(), Ok("http" | "https")) {
            return Err(CoreError::Browser(format!(
                "refusing to open {:?}: only http and https URLs are opened",
                oauthdesk_protocol::text::escape_controls(url, false)
            )));
        }
        let (command, explicit) = match self {
            Launcher::Command(c) => (c.clone(), true),
            Launcher::System => match std::env::var("BROWSER") {
                Ok(b) if !b.trim().is_empty() => (b, true),
                _ => (platform_opener().to_owned(), false),
            },
        };
        // Python's webbrowser treats `$BROWSER` as a list of commands separated by the path separator.
        let first = command
            .split(if cfg!(windows) { ';' } else { ':' })
            .find(|c| !c.trim().is_empty())
            .unwrap_or(&command);
        let mut words: Vec<String> = first.split_whitespace().map(str::to_owned).collect();
        if words.is_empty() {
            return Err(CoreError::Browser("the browser command is empty".into()));
        }
        if words.iter().any(|w| w.contains("%s")) {
            words.iter_mut().for_each(|w| *w = w.replace("%s", url));
        } else {
            words.push(url.to_owned());
        }
        let mut cmd = std::process::Command::new(&words[0]);
        cmd.args(&words[1..])
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null());
        if !explicit {
            cmd.stderr(std::process::Stdio::null());
        }
        let mut child = cmd.spawn().map_err(|e| {
            CoreError::Browser(format!(
                "{}: {e}; set $BROWSER or use --no-open and open the URL yourself",
                words[0]
            ))
        })?;
        // Reap it in the background; the browser outlives nothing of ours.
        std::thread::spawn(move || child.wait());
        Ok(())
    }
}

fn platform_opener() -> &'static str {
    if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    }
}
