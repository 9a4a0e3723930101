// Prevents an additional console window on Windows in release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    oauthdesk_app::startup::begin();
    // WebKitGTK's accelerated compositing costs this window ~0.8 s of start-up and ~80 MB of PSS
    // under Xvfb and software GL (scripts/measure-gui), and it is a known source of blank
    // windows on some GPU drivers. A forms-and-tables UI gains nothing from it. Respect an
    // explicit choice from the environment.
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_none() {
        // SAFETY: first statement of main, before any thread exists; nothing reads the
        // environment concurrently.
        #[allow(unsafe_code)]
        unsafe {
            std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
        };
    }
    oauthdesk_app::run();
}
