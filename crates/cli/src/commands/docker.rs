//! `oauthdesk docker map|unmap|maps`: which registry hosts `docker-credential-oauthdesk`
//! answers for, with which client's token and which username (see `core::desk::docker_hosts`).

use crate::args::DockerCommand;
use crate::output::{self, outln, safe};
use oauthdesk_core::{CoreError, Desk};

pub async fn run(desk: &Desk, command: DockerCommand) -> Result<u8, CoreError> {
    match command {
        DockerCommand::Map {
            host,
            name,
            username,
        } => {
            let map = desk.docker_map(&host, &name, username.as_deref()).await?;
            outln!(
                "{} → {} (username {})",
                safe(&map.host),
                safe(&map.client),
                safe(&map.username)
            );
            outln!(
                "docker config.json: \"credHelpers\": {{ \"{}\": \"oauthdesk\" }}",
                safe(&map.server_url())
            );
            Ok(0)
        }
        DockerCommand::Unmap { host } => {
            if desk.docker_unmap(&host).await? {
                Ok(0)
            } else {
                Err(CoreError::InvalidInput(format!(
                    "{} is not mapped (see `oauthdesk docker maps`)",
                    safe(&host)
                )))
            }
        }
        DockerCommand::Maps { json } => {
            let maps = desk.docker_maps().await?;
            if json {
                output::json(&maps);
            } else if maps.is_empty() {
                outln!("no registry hosts mapped (oauthdesk docker map HOST NAME)");
            } else {
                for m in &maps {
                    outln!(
                        "{}  {}  {}",
                        safe(&m.host),
                        safe(&m.client),
                        safe(&m.username)
                    );
                }
            }
            Ok(0)
        }
    }
}
