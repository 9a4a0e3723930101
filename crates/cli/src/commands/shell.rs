//! Shell integration, made from the command-line definition itself so it cannot drift from it:
//! `oauthdesk completions SHELL` (clap_complete) and the hidden `oauthdesk man` (clap_mangen),
//! which the bundle step runs to put the man pages into the `.deb`
//! (`src-tauri/tauri.conf.json`: `build.beforeBundleCommand`, `bundle.linux.deb.files`).
//! Neither needs the store: `main` runs them before opening it.

use crate::args::{Cli, Command, CompletionsArgs, ManArgs};
use crate::output::out;
use clap::CommandFactory;
use oauthdesk_core::CoreError;

/// The commands answered without a `Desk`; `None` for every other command.
pub fn without_desk(command: &Command) -> Option<Result<u8, CoreError>> {
    match command {
        Command::Completions(a) => Some(completions(a)),
        Command::Man(a) => Some(man(a)),
        _ => None,
    }
}

fn completions(a: &CompletionsArgs) -> Result<u8, CoreError> {
    let mut script = Vec::new();
    clap_complete::generate(a.shell, &mut Cli::command(), "oauthdesk", &mut script);
    out!("{}", String::from_utf8_lossy(&script));
    Ok(0)
}

/// The man page of `oauthdesk` on stdout, or with `--out DIR` it and one page per subcommand
/// (`oauthdesk-client-add.1`, …; the hidden `man` has none), as `clap_mangen::generate_to`
/// writes them but with the manual's name in the header.
fn man(a: &ManArgs) -> Result<u8, CoreError> {
    let Some(dir) = &a.out else {
        let mut page = Vec::new();
        page_of(man_command())
            .render(&mut page)
            .map_err(|e| CoreError::io("cannot render the man page", e))?;
        out!("{}", String::from_utf8_lossy(&page));
        return Ok(0);
    };
    std::fs::create_dir_all(dir)
        .map_err(|e| CoreError::io(format!("cannot create {}", dir.display()), e))?;
    write_pages(man_command(), dir).map_err(|e| {
        CoreError::io(
            format!("cannot write the man pages into {}", dir.display()),
            e,
        )
    })?;
    Ok(0)
}

/// The command line as the pages describe it: without clap's `help` subcommand (each page has
/// `-h`), built so every subcommand has its display name, `oauthdesk-client-add`: its page's name.
fn man_command() -> clap::Command {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    cmd
}

fn page_of(cmd: clap::Command) -> clap_mangen::Man {
    clap_mangen::Man::new(cmd)
        .manual("OAuth Desk")
        .source(concat!("oauthdesk ", env!("CARGO_PKG_VERSION")))
}

fn write_pages(cmd: clap::Command, dir: &std::path::Path) -> std::io::Result<()> {
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        write_pages(sub.clone(), dir)?;
    }
    page_of(cmd).generate_to(dir)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_man_page_lists_every_visible_subcommand() {
        let mut page = Vec::new();
        page_of(man_command()).render(&mut page).expect("renders");
        let page = String::from_utf8(page).expect("roff is text");
        assert!(
            page.contains(".TH oauthdesk 1  \"oauthdesk "),
            "the .TH header names the page, its section and the source: {page:.200}"
        );
        for sub in ["kubectl", "completions", "login", "token", "client"] {
            assert!(
                page.contains(&format!("\noauthdesk\\-{sub}(1)\n")),
                "the SUBCOMMANDS section refers to oauthdesk-{sub}(1)"
            );
        }
        for hidden in ["man", "help"] {
            assert!(
                !page.contains(&format!("oauthdesk\\-{hidden}(1)")),
                "no page is referred to for `{hidden}`"
            );
        }
    }
}
