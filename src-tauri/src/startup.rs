//! Opt-in start-up trace: with `OAUTHDESK_TRACE_STARTUP=1` the app prints, on stderr, how many
//! milliseconds after `main` each start-up step happened, to find where start-up time goes
//! (README, Performance). Off, it costs one environment read.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

static START: OnceLock<Option<Instant>> = OnceLock::new();
static FIRST_LIST: AtomicBool = AtomicBool::new(false);

/// Call first thing in `main`.
pub fn begin() {
    START.get_or_init(|| std::env::var_os("OAUTHDESK_TRACE_STARTUP").map(|_| Instant::now()));
}

/// `step` is only formatted when tracing is on.
pub fn mark(step: impl std::fmt::Display) {
    if let Some(Some(t0)) = START.get() {
        eprintln!(
            "[startup] {:7.1} ms  {step}",
            t0.elapsed().as_secs_f64() * 1000.0
        );
    }
}

/// Marks the page's first request for the client list (`ui/src/lib/prefetch.ts` sends it while
/// the page's script is evaluated).
pub fn first_list() {
    if !FIRST_LIST.swap(true, Ordering::Relaxed) {
        mark("page asked for the client list");
    }
}
