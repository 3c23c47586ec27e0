//! The conversation with the modem: the one `select!` ([`Actor::turn`])
//! that every wait of the actor goes through, and on top of it sending a
//! command and waiting for its answer ([`Actor::exec`]), typed
//! ([`Actor::call`]) or as a profile's raw line ([`Actor::call_line`]).

use bubblegate_at::commands::{AtRequest, ParseError};
use bubblegate_at::{Command, Event, Expect, FinalResult, Outcome, Response, Retry, Warning};
use bubblegate_profiles::{AtLine, CommandClass};
use tokio::time::Instant;

use super::link::Link;
use super::state::FailReason;
use super::{Actor, Stop};
use crate::handle::Request;

/// One thing that woke the actor.
enum Wake {
    Shutdown,
    Input(usize),
    Closed(String),
    EngineTimeout,
    Request(Request),
    RequestsClosed,
    Health,
    Deadline,
}

/// What a turn left for its caller to handle.
pub(crate) enum Turn {
    /// Bytes or a timeout went into the engine; look at its output.
    Progress,
    Request(Request),
    Health,
    Deadline,
    Shutdown,
}

/// Why a typed command gave no answer.
#[derive(Debug)]
pub(crate) enum CallError {
    Stop(Stop),
    Rejected { command: String, result: FinalResult },
    Parse { command: String, error: ParseError },
}

impl From<Stop> for CallError {
    fn from(stop: Stop) -> Self {
        CallError::Stop(stop)
    }
}

impl From<CallError> for Stop {
    fn from(err: CallError) -> Self {
        match err {
            CallError::Stop(stop) => stop,
            CallError::Rejected { command, result } => {
                Stop::Failed(FailReason::Setup { command, result: result.to_string() })
            }
            CallError::Parse { command, error } => {
                Stop::Failed(FailReason::Setup { command, result: error.to_string() })
            }
        }
    }
}

/// The clock the engine runs on: tokio's, so that paused test time drives
/// it.
fn now() -> std::time::Instant {
    Instant::now().into_std()
}

async fn sleep_until(at: Option<Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

async fn read_link(link: &mut Option<Link>) -> std::io::Result<usize> {
    match link {
        Some(link) => link.read().await,
        None => std::future::pending().await,
    }
}

impl Actor {
    /// The one `select!`: waits for the next [`Wake`] and does what every
    /// wait does with it (feed the engine, write its output, notice the
    /// port closing). `deadline` is the caller's step deadline; `health`
    /// whether the health tick counts.
    pub(super) async fn turn(
        &mut self,
        deadline: Option<Instant>,
        health: bool,
    ) -> Result<Turn, Stop> {
        let engine_deadline =
            self.link.as_ref().and_then(|link| link.engine.poll_timeout()).map(Instant::from_std);
        let health_at = if health { self.next_health } else { None };
        let take_requests = self.requests_open && self.backlog.len() < self.config().queue;
        let stopping = self.stopping;
        let Actor { link, requests, shutdown, .. } = self;
        let wake = tokio::select! {
            biased;
            () = shutdown.cancelled(), if !stopping => Wake::Shutdown,
            read = read_link(link) => match read {
                Ok(0) => Wake::Closed("the port closed".to_owned()),
                Ok(n) => Wake::Input(n),
                Err(err) => Wake::Closed(err.to_string()),
            },
            () = sleep_until(engine_deadline) => Wake::EngineTimeout,
            request = requests.recv(), if take_requests => match request {
                Some(request) => Wake::Request(request),
                None => Wake::RequestsClosed,
            },
            () = sleep_until(health_at) => Wake::Health,
            () = sleep_until(deadline) => Wake::Deadline,
        };
        match wake {
            Wake::Shutdown => {
                self.stopping = true;
                Ok(Turn::Shutdown)
            }
            Wake::Input(n) => {
                if let Some(link) = &mut self.link {
                    link.input(n, now());
                }
                self.after_engine().await?;
                Ok(Turn::Progress)
            }
            Wake::EngineTimeout => {
                if let Some(link) = &mut self.link {
                    link.engine.handle_timeout(now());
                }
                self.after_engine().await?;
                Ok(Turn::Progress)
            }
            Wake::Closed(why) => {
                if let Some(link) = &mut self.link {
                    link.engine.cancel_all();
                }
                self.drain_engine();
                Err(Stop::PortGone(why))
            }
            Wake::Request(request) => Ok(Turn::Request(request)),
            Wake::RequestsClosed => {
                // Every handle is gone: nobody can ask anything any more,
                // but the modem still receives, so the actor runs on.
                self.requests_open = false;
                Ok(Turn::Progress)
            }
            Wake::Health => Ok(Turn::Health),
            Wake::Deadline => Ok(Turn::Deadline),
        }
    }

    /// Collects the engine's events and writes its transmits.
    pub(super) async fn after_engine(&mut self) -> Result<(), Stop> {
        self.drain_engine();
        let Some(link) = &mut self.link else { return Ok(()) };
        match link.flush().await {
            Ok(body) => {
                self.body_written |= body;
                Ok(())
            }
            Err(err) => {
                link.engine.cancel_all();
                self.drain_engine();
                Err(Stop::PortGone(format!("write failed: {err}")))
            }
        }
    }

    pub(super) fn drain_engine(&mut self) {
        let Some(link) = &mut self.link else { return };
        while let Some(event) = link.engine.poll_event() {
            match event {
                Event::Response(response) => self.responses.push_back(response),
                Event::Urc(urc) => self.urcs.push_back(urc),
                Event::Warning(warning) => log_warning(&warning),
            }
        }
    }

    /// Sends one command and waits for its response. A shutdown during a
    /// command with a body (a send) lets it finish within the shutdown
    /// grace; any other command is abandoned.
    pub(super) async fn exec(&mut self, command: Command) -> Result<Response, Stop> {
        if self.stopping {
            return Err(Stop::Shutdown);
        }
        let has_body = command.body().is_some();
        let Some(link) = &mut self.link else {
            return Err(Stop::PortGone("the port is closed".to_owned()));
        };
        self.body_written = false;
        tracing::trace!(command = command.line(), "sending");
        let id = link.engine.send(command, now());
        self.after_engine().await?;
        let mut grace: Option<Instant> = None;
        loop {
            if let Some(at) = self.responses.iter().position(|r| r.id == id) {
                if let Some(response) = self.responses.remove(at) {
                    return Ok(response);
                }
            }
            match self.turn(grace, false).await? {
                Turn::Progress | Turn::Health => {}
                Turn::Request(request) => self.on_request_busy(request),
                Turn::Deadline => return Err(Stop::Shutdown),
                Turn::Shutdown if has_body => {
                    let bound = self.config().shutdown_grace;
                    tracing::info!(?bound, "shutdown waits for the send in flight");
                    grace = Some(Instant::now() + bound);
                }
                Turn::Shutdown => return Err(Stop::Shutdown),
            }
        }
    }

    /// The timeout and attempts of a command class, from the profile.
    pub(super) fn retry(&self, class: CommandClass) -> Retry {
        let timeout = self.profile.timeouts.get(class);
        Retry::new(timeout.duration, timeout.attempts)
    }

    /// Sends a typed command and parses its answer. A timeout hands over to
    /// the watchdog.
    pub(super) async fn call<R: AtRequest>(
        &mut self,
        request: &R,
        class: CommandClass,
    ) -> Result<R::Output, CallError> {
        let command = request.command(self.retry(class)).map_err(|err| {
            Stop::Failed(FailReason::Setup {
                command: "command".to_owned(),
                result: err.to_string(),
            })
        })?;
        let response = self.exec(command).await?;
        interpret(request, response)
    }

    /// Sends a profile's raw command line; any line that is not a URC
    /// belongs to its answer.
    pub(super) async fn call_line(&mut self, line: &AtLine) -> Result<Vec<String>, CallError> {
        let retry = self.retry(self.profile.command_class(line));
        let command = Command::new(line.as_str(), Expect::bare(&[]), retry).map_err(|err| {
            Stop::Failed(FailReason::Setup { command: line.to_string(), result: err.to_string() })
        })?;
        let response = self.exec(command).await?;
        match response.outcome {
            Outcome::Final(result) if result.is_success() => Ok(response.lines),
            Outcome::Final(result) => {
                Err(CallError::Rejected { command: response.command, result })
            }
            Outcome::TimedOut { .. } => Err(Stop::Unresponsive(response.command).into()),
            Outcome::Cancelled => Err(Stop::PortGone("command cancelled".to_owned()).into()),
        }
    }
}

/// Turns a response into the typed answer.
fn interpret<R: AtRequest>(request: &R, response: Response) -> Result<R::Output, CallError> {
    match response.outcome {
        Outcome::Final(result) if result.is_success() => request
            .parse(&response.lines)
            .map_err(|error| CallError::Parse { command: response.command, error }),
        Outcome::Final(result) => Err(CallError::Rejected { command: response.command, result }),
        Outcome::TimedOut { .. } => Err(Stop::Unresponsive(response.command).into()),
        Outcome::Cancelled => Err(Stop::PortGone("command cancelled".to_owned()).into()),
    }
}

fn log_warning(warning: &Warning) {
    match warning {
        // The text of a stray line may hold a number or a message.
        Warning::UnexpectedLine(line) => {
            tracing::debug!("unexpected line from the modem");
            tracing::trace!(%line, "unexpected line");
        }
        other => tracing::debug!(?other, "AT engine warning"),
    }
}
