//! The system under test: `bubblegate run --config FILE`, one daemon for
//! all the modems, on SQLite in the run's directory, enqueued through its
//! HTTP API (`POST /v1/sms`).
//!
//! The configuration keeps every default a user of
//! `hw/bubblegate.example.toml` keeps, except:
//!
//! - no per-SIM `rate_limit` (the example sets 20 per minute): gammu-smsd
//!   has none, and the point is what the modems can carry;
//! - `shutdown_grace = "10s"`, so that a stuck daemon cannot hold the
//!   benchmark up.
//!
//! `health_interval` stays at its default (5 minutes). Submissions ask for
//! no delivery report (`"delivery_report": false`), as gammu-smsd's
//! default `DeliveryReport = no`, so that both systems do the same work.

use std::net::{SocketAddr, TcpListener};
use std::path::Path;
use std::time::Duration;

use anyhow::{bail, Context};
use serde_json::json;
use tokio::process::Command;

use crate::http::Client;
use crate::process::{Process, Usage};
use crate::sim::SimModem;

/// Shared with `bubblegate-relay-bench`.
pub use crate::process::locate;

/// The admin token of the benchmark's daemons.
const TOKEN: &str = "bubblegate-bench-admin-token";
/// The longest one API call may take.
const CALL_TIMEOUT: Duration = Duration::from_secs(10);

/// A running `bubblegate run`.
pub struct Bubblegate {
    process: Process,
    api: Client,
    public: Client,
    modems: usize,
}

impl Bubblegate {
    /// Writes the configuration for `modems` into `dir` and starts the
    /// daemon at `binary`.
    pub fn start(
        binary: &Path,
        modems: &[SimModem],
        profile: &str,
        dir: &Path,
    ) -> anyhow::Result<Bubblegate> {
        let listen = free_port().context("cannot find a free port for the API")?;
        let config = dir.join("bubblegate.toml");
        let text = config_text(&dir.join("bubblegate.db"), listen, modems, profile);
        std::fs::write(&config, text)
            .with_context(|| format!("cannot write {}", config.display()))?;
        let mut command = Command::new(binary);
        command.arg("run").arg("--config").arg(&config).env_remove("RUST_LOG");
        // The environment overrides keys; none of the caller's may leak in.
        for (name, _) in std::env::vars_os() {
            if name.to_string_lossy().starts_with("BUBBLEGATE_") {
                command.env_remove(name);
            }
        }
        let process = Process::spawn("bubblegate run", command, &dir.join("bubblegate.log"))?;
        Ok(Bubblegate {
            process,
            api: Client::new(listen, Some(TOKEN.to_owned()), CALL_TIMEOUT),
            public: Client::new(listen, None, CALL_TIMEOUT),
            modems: modems.len(),
        })
    }

    /// Ready when `/healthz` counts every modem ready.
    pub async fn is_ready(&mut self) -> anyhow::Result<bool> {
        self.process.check_running()?;
        let Ok(reply) = self.public.get("/healthz").await else {
            // Not listening yet.
            return Ok(false);
        };
        let ready = reply.body.get("modems_ready").and_then(|v| v.as_u64());
        Ok(reply.status == 200 && ready == Some(self.modems as u64))
    }

    /// `POST /v1/sms`; the pool picks the modem.
    pub async fn enqueue(&mut self, to: &str, text: &str) -> anyhow::Result<()> {
        let body = json!({"to": to, "text": text, "delivery_report": false});
        let reply = self.api.post("/v1/sms", &body).await?;
        if reply.status != 201 {
            bail!("POST /v1/sms answered {}: {}", reply.status, reply.body);
        }
        Ok(())
    }

    pub fn check_running(&mut self) -> anyhow::Result<()> {
        self.process.check_running()
    }

    pub fn usage(&self) -> anyhow::Result<Usage> {
        Usage::of(self.process.pid())
    }

    /// SIGTERM: the daemon finishes what is in flight and exits.
    pub async fn stop(self, grace: Duration) {
        self.process.stop(grace).await;
    }
}

/// A port on 127.0.0.1 that was free a moment ago. The daemon binds it
/// right after; another process taking it in between makes the start
/// fail visibly, not wrongly.
fn free_port() -> std::io::Result<SocketAddr> {
    TcpListener::bind("127.0.0.1:0")?.local_addr()
}

/// The daemon's configuration (format: `hw/bubblegate.example.toml`).
fn config_text(db: &Path, listen: SocketAddr, modems: &[SimModem], profile: &str) -> String {
    let mut text = format!(
        "# Written by bubblegate-bench: the example's defaults, no rate limit.\n\
         node = \"bench\"\n\
         shutdown_grace = \"10s\"\n\
         \n\
         [store]\n\
         sqlite = \"{}\"\n\
         \n\
         [api]\n\
         listen = \"{listen}\"\n\
         admin_token = \"{TOKEN}\"\n",
        toml_escape(db)
    );
    for modem in modems {
        text.push_str(&format!(
            "\n[[modems]]\nid = \"{}\"\nport = \"{}\"\nprofile = \"{profile}\"\n",
            modem.name,
            toml_escape(&modem.path)
        ));
    }
    text
}

/// A path inside a TOML basic string.
fn toml_escape(path: &Path) -> String {
    path.display().to_string().replace('\\', "\\\\").replace('"', "\\\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_names_every_modem_by_its_pty() {
        let modems = [
            SimModem {
                name: "modem0".into(),
                path: "/tmp/b/sim/modem0".into(),
                transcript: "/tmp/b/sim/modem0.log".into(),
            },
            SimModem {
                name: "modem1".into(),
                path: "/tmp/b/sim/modem1".into(),
                transcript: "/tmp/b/sim/modem1.log".into(),
            },
        ];
        let listen: SocketAddr = "127.0.0.1:18080".parse().expect("addr");
        let text = config_text(Path::new("/tmp/b/bubblegate.db"), listen, &modems, "simcom-sim800");
        assert!(text.contains("sqlite = \"/tmp/b/bubblegate.db\""));
        assert!(text.contains("listen = \"127.0.0.1:18080\""));
        assert!(text.contains(
            "[[modems]]\nid = \"modem1\"\nport = \"/tmp/b/sim/modem1\"\nprofile = \"simcom-sim800\"\n"
        ));
        assert!(!text.contains("rate_limit"));
    }
}
