//! A running tauri-driver (it starts WebKitWebDriver, which starts the app) on free ports, and
//! stopping it with everything it started.

use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::build::tauri_driver;
use super::{GuiResult, Launch};

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// Parent pid of every process, from /proc/<pid>/stat.
fn parents() -> Vec<(u32, u32)> {
    let mut all = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // "pid (comm) state ppid ...": comm may contain spaces and parentheses.
        let Some(rest) = stat.rfind(')').map(|i| &stat[i + 1..]) else {
            continue;
        };
        if let Some(ppid) = rest.split_whitespace().nth(1).and_then(|p| p.parse().ok()) {
            all.push((pid, ppid));
        }
    }
    all
}

/// Every descendant of `root` (children first found, then theirs).
pub fn descendants(root: u32) -> Vec<u32> {
    let all = parents();
    let mut found = vec![root];
    let mut i = 0;
    while i < found.len() {
        let p = found[i];
        found.extend(all.iter().filter(|(_, pp)| *pp == p).map(|(c, _)| *c));
        i += 1;
    }
    found.remove(0);
    found
}

fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|s| {
        s.rfind(')')
            .and_then(|i| s[i + 1..].split_whitespace().next())
            != Some("Z")
    })
}

fn signal(pid: u32, sig: &str) {
    let _ = Command::new("kill")
        .args([sig, &pid.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

/// A running tauri-driver; stopped (and everything it started) on drop.
pub(super) struct Driver {
    child: Child,
    pub(super) port: u16,
    log: PathBuf,
}

/// One try at starting tauri-driver.
enum Attempt {
    Listening(Driver),
    /// tauri-driver exited before both ports listened: what its log said.
    Exited(String),
}

impl Driver {
    /// Starts tauri-driver on two free ports. A port found free may be taken by another process
    /// before tauri-driver binds it (the tests of one binary start servers in parallel while a
    /// scenario runs); tauri-driver then exits, and is started again on other ports, three
    /// tries in all.
    pub(super) fn start(launch: &Launch) -> GuiResult<Driver> {
        let mut exits = Vec::new();
        for _ in 0..3 {
            match Self::try_start(launch)? {
                Attempt::Listening(driver) => return Ok(driver),
                Attempt::Exited(why) => exits.push(why),
            }
        }
        Err(exits.join("\n").into())
    }

    fn try_start(launch: &Launch) -> GuiResult<Attempt> {
        let (port, native) = (free_port(), free_port());
        let log = launch.home.join("tauri-driver.log");
        let out = std::fs::File::create(&log)?;
        let mut cmd = Command::new(tauri_driver());
        cmd.args([
            "--port",
            &port.to_string(),
            "--native-port",
            &native.to_string(),
        ])
        .stdin(Stdio::null())
        .stdout(out.try_clone()?)
        .stderr(out)
        .env_remove("RUST_LOG");
        for (k, v) in &launch.env {
            cmd.env(k, v);
        }
        let mut driver = Driver {
            child: cmd.spawn()?,
            port,
            log,
        };
        let start = Instant::now();
        // tauri-driver starts WebKitWebDriver on the native port: both must listen before a
        // session request, else it fails with "tcp connect error".
        while TcpStream::connect(("127.0.0.1", port)).is_err()
            || TcpStream::connect(("127.0.0.1", native)).is_err()
        {
            let exited = driver.child.try_wait()?.is_some();
            if exited || start.elapsed() > Duration::from_secs(20) {
                let why = format!(
                    "tauri-driver did not listen on {port} and WebKitWebDriver on {native}: {}",
                    driver.log_text()
                );
                return if exited {
                    Ok(Attempt::Exited(why))
                } else {
                    Err(why.into())
                };
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(Attempt::Listening(driver))
    }

    pub(super) fn log_text(&self) -> String {
        let mut s = String::new();
        let _ = std::fs::File::open(&self.log).and_then(|mut f| f.read_to_string(&mut s));
        s
    }

    /// SIGTERM (SIGKILL would leave WebKitWebDriver running), then whatever survived, by PID.
    pub(super) fn stop(&mut self) {
        if self.child.try_wait().ok().flatten().is_some() {
            return;
        }
        let family = descendants(self.child.id());
        signal(self.child.id(), "-TERM");
        let start = Instant::now();
        while self.child.try_wait().ok().flatten().is_none()
            && start.elapsed() < Duration::from_secs(5)
        {
            std::thread::sleep(Duration::from_millis(50));
        }
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        let start = Instant::now();
        while family.iter().any(|p| alive(*p)) && start.elapsed() < Duration::from_secs(3) {
            std::thread::sleep(Duration::from_millis(50));
        }
        for pid in family.into_iter().filter(|p| alive(*p)) {
            signal(pid, "-KILL");
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        self.stop();
    }
}
