# Sourced by scripts/run and scripts/test: installs what is missing on Debian/Ubuntu.
# System packages for Tauri (WebKitGTK), the headless keychain (gnome-keyring, D-Bus,
# secret-tool), Xvfb, WebKitWebDriver and xwd for the GUI tests, Node for the test server and the UI.

APT_PACKAGES="build-essential pkg-config libssl-dev curl libwebkit2gtk-4.1-dev libgtk-3-dev libsoup-3.0-dev
  libjavascriptcoregtk-4.1-dev librsvg2-dev gnome-keyring dbus dbus-x11 libsecret-tools xvfb xauth
  webkit2gtk-driver x11-apps hyperfine"
# kubectl for the exec-plugin tests (tests/tests/handoff_kubectl.rs): any kubectl already on PATH
# will do (it may not come from a package); else Debian's kubernetes-client (1.20, v1beta1 only).
command -v kubectl >/dev/null 2>&1 || APT_PACKAGES="$APT_PACKAGES kubernetes-client"
# git (with `git http-backend`) for the credential-helper tests (tests/tests/handoff_git.rs). The
# docker CLI is optional: handoff_docker.rs drives the helper protocol itself, and also through
# the docker CLI when one is on PATH (no daemon is needed).
command -v git >/dev/null 2>&1 || APT_PACKAGES="$APT_PACKAGES git"

ensure_system_packages() {
  local missing=()
  for p in $APT_PACKAGES; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  command -v node >/dev/null 2>&1 || missing+=(nodejs npm)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "==> installing system packages: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  command -v cargo >/dev/null 2>&1 || { echo "Rust is missing: install it with rustup (https://rustup.rs), then re-run." >&2; exit 1; }
}

ensure_node_modules() {
  # $1: directory with package.json and package-lock.json
  if [ ! -d "$1/node_modules" ] || [ "$1/package-lock.json" -nt "$1/node_modules/.package-lock.json" ]; then
    echo "==> npm ci in $1"
    (cd "$1" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

ensure_tauri_driver() {
  # The GUI end-to-end tests drive the app through tauri-driver (→ /usr/bin/WebKitWebDriver).
  # Pinned to 2.x: the registry's newest is a 3.0 alpha.
  local cargo_bin="${CARGO_HOME:-$HOME/.cargo}/bin"
  if ! command -v tauri-driver >/dev/null 2>&1 && [ ! -x "$cargo_bin/tauri-driver" ]; then
    echo "==> installing tauri-driver (cargo install, ~2 min)"
    cargo install tauri-driver --locked --version ^2
  fi
  case ":$PATH:" in *":$cargo_bin:"*) ;; *) export PATH="$PATH:$cargo_bin" ;; esac
}
