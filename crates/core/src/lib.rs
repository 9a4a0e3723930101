//! OAuth Desk's domain: clients, grants, the SQLite store, the keychain, history and
//! transcripts — and [`Desk`], the one facade the GUI and the CLI call.

pub mod desk;
pub mod error;
pub mod grant_state;
pub mod launcher;
pub mod lock;
pub mod model;
pub mod presets;
pub mod pretty_array;
pub mod secrets;
pub mod store;

pub mod variables;

pub use desk::{
    Desk, DeskConfig, GrantRef, HandedToken, Handoff, LoginOptions, RevokeWhich, default_home,
};
pub use error::{CoreError, Result};
pub use oauthdesk_protocol as protocol;
