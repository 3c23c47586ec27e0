//! The sans-IO AT engine: one serial port's conversation as a deterministic
//! state machine, in the manner of quinn-proto.
//!
//! In: [`Engine::send`], [`Engine::handle_input`], [`Engine::handle_timeout`].
//! Out: [`Engine::poll_transmit`], [`Engine::poll_event`],
//! [`Engine::poll_timeout`]. Time is a parameter; nothing here reads a
//! clock, touches a port or spawns a task.
//!
//! Architecture invariants:
//!
//! - At most one command is in flight. Others wait in a FIFO queue and are
//!   transmitted when the one before them completes.
//! - Every command handed to [`Engine::send`] produces exactly one
//!   [`Event::Response`]: with a final result code, after its last attempt
//!   times out, or when [`Engine::cancel_all`] is called. Nothing else
//!   removes a command.
//! - A line is classified with the pending command's expected prefixes
//!   first, and only then against the URC table: `+CREG:` during
//!   `AT+CREG?` is the response, at any other time a URC. URCs arriving in
//!   the middle of a command or of a prompt exchange are delivered as URCs
//!   and never change the command's lines or result.
//! - An SMS body is sent only in answer to a prompt, and a command whose
//!   body was sent is never retried, so a timeout cannot send a message
//!   twice.
//! - The receive buffer never holds more than `max_line_len` bytes after
//!   `handle_input` returns, and how input is split into reads does not
//!   change the events (apart from how garbage runs are counted).

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use crate::command::{Command, CommandId};
use crate::event::{Event, Outcome, Response, Stats, Warning};
use crate::framing::{next_frame, Frame, Rules, CR, ESC, SUB};
use crate::result::{ends_data, parse_result_code, FinalResult, ResultCode};
use crate::urc::{classify, Classified, Urc, UrcHeader};

/// Settings fixed for the life of an engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineConfig {
    /// URC prefixes beyond the built-in set, from the modem profile
    /// (e.g. `+QIND:` variants, `+CIEV:` forms, vendor `^` codes).
    pub extra_urc_prefixes: Vec<String>,
    /// Longest line kept, in bytes. Longer lines are dropped with a warning.
    /// A PDU line is at most about 400 characters; `AT+COPS=?` can be long.
    pub max_line_len: usize,
    /// Most information lines kept for one response (a full `+CMGL` of 255
    /// messages is 510 lines).
    pub max_response_lines: usize,
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            extra_urc_prefixes: Vec::new(),
            max_line_len: 2048,
            max_response_lines: 1024,
        }
    }
}

/// The AT engine for one port. See the module documentation.
///
/// Echo needs no setting: a line equal to the pending command line (or to
/// the SMS body just sent) is always swallowed as echo, because modems fall
/// back to `ATE1` after every reset and a response line can never look like
/// a command line.
#[derive(Debug)]
pub struct Engine {
    config: EngineConfig,
    rx: Vec<u8>,
    /// Bytes dropped so far from an over-long line still being received.
    discarded: Option<usize>,
    queue: VecDeque<(CommandId, Command)>,
    pending: Option<Pending>,
    urc_header: Option<UrcHeader>,
    transmits: VecDeque<Vec<u8>>,
    events: VecDeque<Event>,
    next_id: u64,
    stats: Stats,
}

#[derive(Debug)]
struct Pending {
    id: CommandId,
    command: Command,
    attempt: u8,
    deadline: Instant,
    stage: Stage,
    lines: Vec<String>,
    /// The last response line was a header whose data line comes next.
    data_line_next: bool,
    overflowed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    AwaitingPrompt,
    AwaitingResult { body_sent: bool },
}

impl Stage {
    fn initial(command: &Command) -> Stage {
        if command.body().is_some() {
            Stage::AwaitingPrompt
        } else {
            Stage::AwaitingResult { body_sent: false }
        }
    }
}

/// What one line means in the engine's current state.
enum Role {
    Echo,
    Final(FinalResult),
    ResponseLine { data_follows: bool },
    Urc(Classified),
    Unexpected,
}

fn deadline(now: Instant, timeout: Duration) -> Instant {
    now.checked_add(timeout).unwrap_or(now)
}

fn command_bytes(command: &Command, escape_first: bool) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(command.line().len() + 2);
    if escape_first {
        bytes.push(ESC);
    }
    bytes.extend_from_slice(command.line().as_bytes());
    bytes.push(CR);
    bytes
}

impl Engine {
    pub fn new(config: EngineConfig) -> Self {
        Engine {
            config,
            rx: Vec::new(),
            discarded: None,
            queue: VecDeque::new(),
            pending: None,
            urc_header: None,
            transmits: VecDeque::new(),
            events: VecDeque::new(),
            next_id: 0,
            stats: Stats::default(),
        }
    }

    /// Queues `command`. If nothing is in flight it is transmitted at once,
    /// and `now` starts its first attempt's timeout.
    pub fn send(&mut self, command: Command, now: Instant) -> CommandId {
        let id = CommandId(self.next_id);
        self.next_id += 1;
        self.queue.push_back((id, command));
        self.start_next(now);
        id
    }

    /// Feeds bytes read from the port.
    pub fn handle_input(&mut self, bytes: &[u8], now: Instant) {
        self.rx.extend_from_slice(bytes);
        let mut offset = 0;
        loop {
            let rules = Rules {
                max_line_len: self.config.max_line_len,
                prompt: self.prompt_allowed(),
                discarding: self.discarded.is_some(),
            };
            let step = next_frame(&self.rx[offset..], &rules);
            if step.consumed == 0 {
                break;
            }
            offset += step.consumed;
            if let Some(frame) = step.frame {
                self.on_frame(frame, now);
            }
        }
        self.rx.drain(..offset);
    }

    /// Expires the pending attempt if its deadline is at or before `now`:
    /// the command is sent again while attempts remain, and otherwise
    /// completes as timed out.
    pub fn handle_timeout(&mut self, now: Instant) {
        let Some(p) = &mut self.pending else {
            return;
        };
        if now < p.deadline {
            return;
        }
        let body_sent = p.stage == Stage::AwaitingResult { body_sent: true };
        let has_body = p.command.body().is_some();
        if !body_sent && p.attempt < p.command.retry().attempts().get() {
            p.attempt += 1;
            p.lines.clear();
            p.data_line_next = false;
            p.overflowed = false;
            p.stage = Stage::initial(&p.command);
            p.deadline = deadline(now, p.command.retry().timeout());
            // ESC first takes the modem out of a text-entry prompt that may
            // have arrived after the deadline.
            self.transmits.push_back(command_bytes(&p.command, has_body));
            let warning = Warning::Retrying { id: p.id, attempt: p.attempt };
            self.stats.retries += 1;
            self.warn(warning);
            return;
        }
        let attempts = p.attempt;
        if has_body && !body_sent {
            self.transmits.push_back(vec![ESC]);
        }
        self.stats.timeouts += 1;
        self.complete(Outcome::TimedOut { attempts, body_sent }, now);
    }

    /// Completes the pending command and every queued one as cancelled, and
    /// forgets buffered input and untaken transmits. For a port that went
    /// away or is being reset.
    pub fn cancel_all(&mut self) {
        if let Some(p) = self.pending.take() {
            self.push_response(p.id, &p.command, p.lines, Outcome::Cancelled);
        }
        while let Some((id, command)) = self.queue.pop_front() {
            self.push_response(id, &command, Vec::new(), Outcome::Cancelled);
        }
        self.rx.clear();
        self.discarded = None;
        self.urc_header = None;
        self.transmits.clear();
    }

    /// The next bytes to write to the port.
    pub fn poll_transmit(&mut self) -> Option<Vec<u8>> {
        self.transmits.pop_front()
    }

    /// The next event.
    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// When [`Engine::handle_timeout`] should next be called, if at all.
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.pending.as_ref().map(|p| p.deadline)
    }

    /// The command in flight.
    pub fn pending(&self) -> Option<CommandId> {
        self.pending.as_ref().map(|p| p.id)
    }

    /// Commands waiting behind the one in flight.
    pub fn queued(&self) -> usize {
        self.queue.len()
    }

    /// Received bytes not yet framed (a partial line).
    pub fn buffered(&self) -> usize {
        self.rx.len()
    }

    pub fn stats(&self) -> Stats {
        self.stats
    }

    pub fn config(&self) -> &EngineConfig {
        &self.config
    }

    fn prompt_allowed(&self) -> bool {
        self.urc_header.is_none() && !self.pending.as_ref().is_some_and(|p| p.data_line_next)
    }

    fn start_next(&mut self, now: Instant) {
        if self.pending.is_some() {
            return;
        }
        let Some((id, command)) = self.queue.pop_front() else {
            return;
        };
        self.transmits.push_back(command_bytes(&command, false));
        self.pending = Some(Pending {
            id,
            deadline: deadline(now, command.retry().timeout()),
            stage: Stage::initial(&command),
            command,
            attempt: 1,
            lines: Vec::new(),
            data_line_next: false,
            overflowed: false,
        });
    }

    fn complete(&mut self, outcome: Outcome, now: Instant) {
        if let Some(p) = self.pending.take() {
            self.push_response(p.id, &p.command, p.lines, outcome);
        }
        self.start_next(now);
    }

    fn push_response(
        &mut self,
        id: CommandId,
        command: &Command,
        lines: Vec<String>,
        outcome: Outcome,
    ) {
        self.stats.responses += 1;
        self.events.push_back(Event::Response(Response {
            id,
            command: command.line().to_owned(),
            lines,
            outcome,
        }));
    }

    fn warn(&mut self, warning: Warning) {
        self.events.push_back(Event::Warning(warning));
    }

    fn emit_urc(&mut self, urc: Urc) {
        self.stats.urcs += 1;
        self.events.push_back(Event::Urc(urc));
    }

    fn garbage(&mut self, bytes: usize) {
        self.stats.garbage_bytes += bytes as u64;
        self.warn(Warning::Garbage { bytes });
    }

    fn truncate_urc(&mut self) {
        if let Some(header) = self.urc_header.take() {
            self.stats.truncated_urcs += 1;
            self.warn(Warning::TruncatedUrc { header: header.line().to_owned() });
        }
    }

    fn on_frame(&mut self, frame: Frame, now: Instant) {
        match frame {
            Frame::Line { text, garbage } => {
                if garbage > 0 {
                    self.garbage(garbage);
                }
                self.on_line(text, now);
            }
            Frame::Prompt => self.on_prompt(),
            Frame::Garbage(bytes) => self.garbage(bytes),
            Frame::Overlong { dropped, ended } => {
                if self.discarded.is_none() {
                    self.stats.overlong_lines += 1;
                }
                let total = self.discarded.unwrap_or(0).saturating_add(dropped);
                if ended {
                    self.discarded = None;
                    self.warn(Warning::LineTooLong { bytes: total });
                    // The lost line may have been a data line; whatever was
                    // waiting for it will not get it.
                    self.truncate_urc();
                    if let Some(p) = &mut self.pending {
                        p.data_line_next = false;
                    }
                } else {
                    self.discarded = Some(total);
                }
            }
        }
    }

    fn on_prompt(&mut self) {
        match &mut self.pending {
            Some(p) if p.stage == Stage::AwaitingPrompt => {
                if let Some(body) = p.command.body() {
                    let mut bytes = Vec::with_capacity(body.as_bytes().len() + 1);
                    bytes.extend_from_slice(body.as_bytes());
                    bytes.push(SUB);
                    self.transmits.push_back(bytes);
                }
                p.stage = Stage::AwaitingResult { body_sent: true };
            }
            // After the body, any byte we send may abort the submission
            // (Fibocom G5 manual, +CMGS note), so a stray prompt is only
            // reported.
            Some(p) if p.stage == (Stage::AwaitingResult { body_sent: true }) => {
                self.stats.unexpected_prompts += 1;
                self.warn(Warning::UnexpectedPrompt);
            }
            _ => {
                self.stats.unexpected_prompts += 1;
                self.transmits.push_back(vec![ESC]);
                self.warn(Warning::UnexpectedPrompt);
            }
        }
    }

    fn is_echo(&self, text: &str) -> bool {
        let Some(p) = &self.pending else {
            return false;
        };
        if text.eq_ignore_ascii_case(p.command.line()) {
            return true;
        }
        p.stage == (Stage::AwaitingResult { body_sent: true })
            && p.command
                .body()
                .is_some_and(|body| body.as_bytes().eq_ignore_ascii_case(text.as_bytes()))
    }

    fn on_line(&mut self, text: String, now: Instant) {
        if self.urc_header.is_some() {
            if !ends_data(&text) && !self.is_echo(&text) {
                if let Some(header) = self.urc_header.take() {
                    self.emit_urc(header.finish(text));
                }
                return;
            }
            self.truncate_urc();
        }
        let role = self.role(&text);
        if let Some(p) = &mut self.pending {
            // Whatever this line is, it settles a data line that was due.
            p.data_line_next = false;
        }
        match role {
            Role::Echo => {}
            Role::Final(result) => self.complete(Outcome::Final(result), now),
            Role::ResponseLine { data_follows } => self.push_line(text, data_follows),
            Role::Urc(Classified::Complete(urc)) => self.emit_urc(urc),
            Role::Urc(Classified::Header(header)) => self.urc_header = Some(header),
            Role::Unexpected => {
                self.stats.unexpected_lines += 1;
                self.warn(Warning::UnexpectedLine(text));
            }
        }
    }

    fn role(&self, text: &str) -> Role {
        let Some(p) = &self.pending else {
            return match parse_result_code(text) {
                Some(ResultCode::Ring) => Role::Urc(Classified::Complete(Urc::Ring)),
                Some(ResultCode::Final(FinalResult::NoCarrier)) => {
                    Role::Urc(Classified::Complete(Urc::NoCarrier))
                }
                Some(ResultCode::Final(_)) => Role::Unexpected,
                None => classify(text, &self.config.extra_urc_prefixes)
                    .map_or(Role::Unexpected, Role::Urc),
            };
        };
        if p.data_line_next && !ends_data(text) {
            return Role::ResponseLine { data_follows: false };
        }
        if self.is_echo(text) {
            return Role::Echo;
        }
        match parse_result_code(text) {
            Some(ResultCode::Final(result)) => return Role::Final(result),
            Some(ResultCode::Ring) => return Role::Urc(Classified::Complete(Urc::Ring)),
            None => {}
        }
        let expect = p.command.expect();
        if expect.matches(text) {
            return Role::ResponseLine { data_follows: expect.data_lines() };
        }
        if let Some(classified) = classify(text, &self.config.extra_urc_prefixes) {
            return Role::Urc(classified);
        }
        if expect.bare_lines() {
            return Role::ResponseLine { data_follows: false };
        }
        Role::Unexpected
    }

    fn push_line(&mut self, text: String, data_follows: bool) {
        let max = self.config.max_response_lines;
        let Some(p) = &mut self.pending else {
            return;
        };
        p.data_line_next = data_follows;
        if p.lines.len() < max {
            p.lines.push(text);
            return;
        }
        self.stats.dropped_response_lines += 1;
        if !p.overflowed {
            p.overflowed = true;
            let id = p.id;
            self.warn(Warning::ResponseTooLong { id });
        }
    }
}
