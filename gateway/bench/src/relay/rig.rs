//! The system under test, as two children of the benchmark in the run's
//! directory: `bubblegate sim` with one modem and `--fast` (it carries the
//! registration codes as SMS; its control interface shows them), and
//! `bubblegate run` with `[network]` on and abuse limits relaxed far
//! beyond what the run does, so that what is measured is the relay and
//! not a 429.
//!
//! Both die with the benchmark (see [`Process`]). The store is SQLite in
//! the run's directory, or a fresh schema in a PostgreSQL database, made
//! with `psql` before the start and dropped after the stop.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context};
use bubblegate_bench::http;
use bubblegate_bench::process::{Process, Usage};
use tokio::process::Command;

/// The admin token of the benchmark's daemon (the run uses no admin route).
const TOKEN: &str = "bubblegate-relay-bench-admin-token";
/// The longest the simulator or the daemon may take to come up.
const START_WAIT: Duration = Duration::from_secs(60);
/// How long a stopping child may take before it is killed.
const STOP_GRACE: Duration = Duration::from_secs(15);
/// The longest one call to the simulator's control interface may take.
const CONTROL_TIMEOUT: Duration = Duration::from_secs(10);
/// How often a start is polled.
const POLL: Duration = Duration::from_millis(100);
/// The longest a `psql` call may take.
const PSQL_WAIT: Duration = Duration::from_secs(30);
/// The model the simulated modem plays.
const PROFILE: &str = "quectel-ec25";

/// Where the daemon keeps its state.
#[derive(Debug, Clone)]
pub enum Store {
    /// `bubblegate.db` in the run's directory.
    Sqlite,
    /// A fresh schema of the database at `url`.
    Postgres { url: String, schema: String },
}

impl Store {
    pub fn name(&self) -> &'static str {
        match self {
            Store::Sqlite => "SQLite",
            Store::Postgres { .. } => "PostgreSQL",
        }
    }
}

/// The running simulator and daemon.
pub struct Rig {
    sim: Process,
    daemon: Process,
    /// The hub's URL, `http://127.0.0.1:<port>`.
    pub hub: String,
    control: http::Client,
    store: Store,
    dir: PathBuf,
}

impl Rig {
    /// Starts the simulator and the daemon in `dir` and waits until the
    /// modem is ready.
    pub async fn start(binary: &Path, store: Store, dir: &Path) -> anyhow::Result<Rig> {
        if let Store::Postgres { url, schema } = &store {
            psql(url, &format!("CREATE SCHEMA \"{schema}\"")).await?;
        }
        match Rig::start_children(binary, &store, dir).await {
            Ok((sim, daemon, hub, control)) => {
                Ok(Rig { sim, daemon, hub, control, store, dir: dir.to_owned() })
            }
            Err(err) => {
                drop_schema(&store).await;
                Err(err)
            }
        }
    }

    async fn start_children(
        binary: &Path,
        store: &Store,
        dir: &Path,
    ) -> anyhow::Result<(Process, Process, String, http::Client)> {
        let mut command = Command::new(binary);
        command
            .args(["sim", "--modems", "1", "--fast", "--control", "127.0.0.1:0"])
            .args(["--profile", PROFILE])
            .arg("--dir")
            .arg(dir.join("sim"));
        let sim_log = dir.join("sim.log");
        let mut sim = Process::spawn("bubblegate sim", clean_env(command), &sim_log)?;
        let out = wait_for_log(&mut sim, &sim_log, |text| {
            text.contains("Ctrl-C stops the simulator").then(|| text.to_owned())
        })
        .await
        .context("the simulator did not start")?;
        let (modem, control) = parse_sim_output(&out)?;

        let config = dir.join("bubblegate.toml");
        std::fs::write(&config, config_text(dir, store, &modem))
            .with_context(|| format!("cannot write {}", config.display()))?;
        let mut command = Command::new(binary);
        command.arg("run").arg("--config").arg(&config);
        let log = dir.join("bubblegate.log");
        let mut daemon = Process::spawn("bubblegate run", clean_env(command), &log)?;
        let addr = wait_for_log(&mut daemon, &log, api_address)
            .await
            .context("the daemon did not start")?;
        let hub = format!("http://{addr}");
        let health = bubblegate_api::client::Client::new(&hub, None, CONTROL_TIMEOUT)
            .map_err(|e| anyhow!("{e}"))?;
        let deadline = Instant::now() + START_WAIT;
        loop {
            daemon.check_running().with_context(|| log_tail(&log))?;
            if health.health().await.is_ok_and(|h| h.modems_ready == 1) {
                break;
            }
            if Instant::now() >= deadline {
                bail!(
                    "the simulated modem was not ready within {START_WAIT:?}\n{}",
                    log_tail(&log)
                );
            }
            tokio::time::sleep(POLL).await;
        }
        Ok((sim, daemon, hub, http::Client::new(control, None, CONTROL_TIMEOUT)))
    }

    /// What the devices need of the rig: the hub's URL and the SMS that
    /// reached the simulated network.
    pub fn network(&self) -> Network {
        Network {
            hub: self.hub.clone(),
            control: self.control.clone(),
            log: self.dir.join("bubblegate.log"),
        }
    }

    /// Fails when either child has exited, with the end of its log.
    pub fn check_running(&mut self) -> anyhow::Result<()> {
        self.daemon.check_running().with_context(|| log_tail(&self.dir.join("bubblegate.log")))?;
        self.sim.check_running().with_context(|| log_tail(&self.dir.join("sim.log")))
    }

    /// CPU time and memory of the daemon.
    pub fn daemon_usage(&self) -> anyhow::Result<Usage> {
        Usage::of(self.daemon.pid())
    }

    /// SIGTERM to both (the daemon first), then drops the schema.
    pub async fn stop(self) {
        self.daemon.stop(STOP_GRACE).await;
        self.sim.stop(STOP_GRACE).await;
        drop_schema(&self.store).await;
    }
}

/// The hub's URL and the simulated network's SMS log: what registering
/// a device needs; cheap to clone into a task.
#[derive(Debug, Clone)]
pub struct Network {
    pub hub: String,
    control: http::Client,
    log: PathBuf,
}

impl Network {
    /// Texts of the SMS the simulated network carried to `phone`, oldest
    /// first (the simulator's `GET /received`).
    pub async fn sms_to(&self, phone: &str) -> anyhow::Result<Vec<String>> {
        let reply = self.control.get("/received").await.context("the simulator's control API")?;
        if reply.status != 200 {
            bail!("the simulator answered GET /received with {}", reply.status);
        }
        Ok(reply
            .body
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .filter(|m| m["to"].as_str() == Some(phone))
            .filter_map(|m| m["body"]["text"].as_str().map(str::to_owned))
            .collect())
    }

    /// The end of the daemon's log, for error messages.
    pub fn daemon_log_tail(&self) -> String {
        log_tail(&self.log)
    }
}

/// A command without the caller's `RUST_LOG` and `BUBBLEGATE_*`
/// variables, which would change the daemon's logging or configuration.
fn clean_env(mut command: Command) -> Command {
    command.env_remove("RUST_LOG");
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("BUBBLEGATE_") {
            command.env_remove(name);
        }
    }
    command
}

/// Polls `log` until `found` returns something, while `process` runs,
/// within [`START_WAIT`].
async fn wait_for_log<T>(
    process: &mut Process,
    log: &Path,
    found: impl Fn(&str) -> Option<T>,
) -> anyhow::Result<T> {
    let deadline = Instant::now() + START_WAIT;
    loop {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        if let Some(value) = found(&text) {
            return Ok(value);
        }
        process.check_running().with_context(|| log_tail(log))?;
        if Instant::now() >= deadline {
            bail!("nothing after {START_WAIT:?}\n{}", log_tail(log));
        }
        tokio::time::sleep(POLL).await;
    }
}

/// The last lines of a log, to show with an error.
fn log_tail(log: &Path) -> String {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    let tail = lines[lines.len().saturating_sub(15)..].join("\n");
    format!("end of {}:\n{tail}", log.display())
}

/// The simulated modem as `bubblegate sim` printed it, and its control
/// address: `modem0  path P  number N  imsi I  profile X` and
/// `control http://ADDR`.
#[derive(Debug, Clone, PartialEq)]
struct SimModem {
    name: String,
    path: String,
    profile: String,
}

fn parse_sim_output(text: &str) -> anyhow::Result<(SimModem, SocketAddr)> {
    let mut modem = None;
    let mut control = None;
    for line in text.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        if let ["modem0", "path", path, .., "profile", profile] = words.as_slice() {
            modem = Some(SimModem {
                name: "modem0".to_owned(),
                path: (*path).to_owned(),
                profile: (*profile).to_owned(),
            });
        }
        if let Some(addr) = line.trim().strip_prefix("control http://") {
            control = addr.trim().parse::<SocketAddr>().ok();
        }
    }
    match (modem, control) {
        (Some(modem), Some(control)) => Ok((modem, control)),
        _ => bail!("`bubblegate sim` printed no modem or control address:\n{text}"),
    }
}

/// The address in the daemon's `API listening addr=...` line.
fn api_address(log: &str) -> Option<SocketAddr> {
    log.lines()
        .filter(|l| l.contains("API listening"))
        .find_map(|l| l.split_once("addr=").and_then(|(_, a)| a.trim().parse().ok()))
}

/// The daemon's configuration: one modem, the hub on, its limits far
/// above what the run asks (count per duration, the hub's token buckets).
fn config_text(dir: &Path, store: &Store, modem: &SimModem) -> String {
    let store = match store {
        Store::Sqlite => format!("sqlite = \"{}\"\n", toml_escape(&dir.join("bubblegate.db"))),
        Store::Postgres { url, schema } => {
            format!("postgres = \"{}\"\nschema = \"{schema}\"\n", toml_str(url))
        }
    };
    format!(
        "# Written by bubblegate-relay-bench.\n\
         node = \"relay-bench\"\n\
         shutdown_grace = \"10s\"\n\
         \n\
         [store]\n\
         {store}\
         \n\
         [api]\n\
         listen = \"127.0.0.1:0\"\n\
         admin_token = \"{TOKEN}\"\n\
         \n\
         [[modems]]\n\
         id = \"{}\"\n\
         port = \"{}\"\n\
         profile = \"{}\"\n\
         \n\
         [network]\n\
         key_file = \"{}\"\n\
         default_region = \"NL\"\n\
         # Relaxed: every registration comes from 127.0.0.1, and each device\n\
         # looks up every other one. The limiters still run on each request.\n\
         code_requests_per_number = \"100/h\"\n\
         code_requests_per_address = \"1000000/h\"\n\
         code_attempts = \"1000000/h\"\n\
         directory_lookups = \"1000000/m\"\n\
         sends = \"1000000/m\"\n\
         daily_verification_sms = 1000000\n",
        modem.name,
        toml_str(&modem.path),
        modem.profile,
        toml_escape(&dir.join("hub.key")),
    )
}

fn toml_escape(path: &Path) -> String {
    toml_str(&path.display().to_string())
}

/// Text inside a TOML basic string.
fn toml_str(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"")
}

/// Runs one SQL statement with `psql`, within [`PSQL_WAIT`].
async fn psql(url: &str, sql: &str) -> anyhow::Result<()> {
    let mut command = Command::new("psql");
    command
        .args(["--no-psqlrc", "--quiet", "-v", "ON_ERROR_STOP=1", "--dbname", url, "-c", sql])
        .stdin(std::process::Stdio::null())
        .kill_on_drop(true);
    let output = tokio::time::timeout(PSQL_WAIT, command.output())
        .await
        .map_err(|_| anyhow!("psql did not finish `{sql}` within {PSQL_WAIT:?}"))?
        .context("cannot run psql (install postgresql-client for --postgres)")?;
    if !output.status.success() {
        bail!("psql `{sql}` failed: {}", String::from_utf8_lossy(&output.stderr).trim());
    }
    Ok(())
}

async fn drop_schema(store: &Store) {
    if let Store::Postgres { url, schema } = store {
        if let Err(err) = psql(url, &format!("DROP SCHEMA \"{schema}\" CASCADE")).await {
            eprintln!("bubblegate-relay-bench: cannot drop schema {schema}: {err:#}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_the_simulator_prints() {
        let out = "modem0  path /tmp/x/sim/modem0  number +15550000001  imsi 001010000000001  profile quectel-ec25\n\
                   control http://127.0.0.1:40123\n\
                   transcripts /tmp/x/sim/modem*.log\n\
                   Ctrl-C stops the simulator.\n";
        let (modem, control) = parse_sim_output(out).expect("parses");
        assert_eq!(modem.path, "/tmp/x/sim/modem0");
        assert_eq!(modem.profile, "quectel-ec25");
        assert_eq!(control, "127.0.0.1:40123".parse::<SocketAddr>().expect("addr"));
        assert!(parse_sim_output("Ctrl-C stops the simulator.\n").is_err());
    }

    #[test]
    fn finds_the_api_address_in_the_log() {
        let log = "2026-01-01T00:00:00Z  INFO bubblegate_daemon::service: API listening addr=127.0.0.1:41234\n";
        assert_eq!(api_address(log), Some("127.0.0.1:41234".parse().expect("addr")));
        assert_eq!(api_address("INFO starting\n"), None);
    }

    #[test]
    fn the_config_turns_the_hub_on_with_relaxed_limits() {
        let modem = SimModem {
            name: "modem0".into(),
            path: "/tmp/r/sim/modem0".into(),
            profile: "quectel-ec25".into(),
        };
        let text = config_text(Path::new("/tmp/r"), &Store::Sqlite, &modem);
        assert!(text.contains("sqlite = \"/tmp/r/bubblegate.db\""));
        assert!(text.contains("[network]\nkey_file = \"/tmp/r/hub.key\""));
        assert!(text.contains("sends = \"1000000/m\""));
        let pg = Store::Postgres { url: "postgres://127.0.0.1/test".into(), schema: "s1".into() };
        let text = config_text(Path::new("/tmp/r"), &pg, &modem);
        assert!(text.contains("postgres = \"postgres://127.0.0.1/test\"\nschema = \"s1\"\n"));
        assert!(!text.contains("sqlite"));
    }
}
