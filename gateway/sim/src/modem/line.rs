//! The serial line, host to modem: command line assembly and echo (ITU-T
//! V.250 5.2.1, `A/` 5.2.4), running the commands of a line in order
//! (V.250 5.2.1, stopping at the first error), and the text after the
//! `> ` prompt of `+CMGS`/`+CMGW` up to Ctrl-Z or ESC (TS 27.005 3.5.1).

use std::time::{Duration, Instant};

use bubblegate_sms::Submit;

use super::parser::{self, Command};
use super::storage::Stat;
use super::{
    After, Mode, Modem, PromptTarget, Reply, Step, CTRL_Z, ESC, MAX_LINE, MAX_PROMPT_TEXT,
};
use crate::event::Direction;
use crate::results::{cms, Final};
use crate::transcript::escape;

impl Modem {
    pub(crate) fn handle_input(&mut self, bytes: &[u8], now: Instant) {
        if !self.plugged {
            return;
        }
        match self.mode {
            Mode::Booting { .. } | Mode::Off | Mode::Hung => return,
            Mode::Command | Mode::Prompt { .. } | Mode::Busy { .. } => {}
        }
        self.input.extend(bytes);
        self.pump(now);
    }

    /// Processes buffered input until it runs out or a reply must wait.
    pub(super) fn pump(&mut self, now: Instant) {
        loop {
            let prompt = match &self.mode {
                Mode::Command => false,
                Mode::Prompt { .. } => true,
                _ => return,
            };
            let Some(b) = self.input.pop_front() else { return };
            if prompt {
                self.prompt_byte(b, now);
            } else {
                self.command_byte(b, now);
            }
        }
    }

    pub(super) fn echo(&mut self, b: u8) {
        if self.s.echo {
            self.out.push(b);
        }
    }

    /// V.250 5.2.1: a line ends with S3 (CR); S5 (backspace) edits it; LF
    /// is not part of it. `A/` repeats the previous line (V.250 5.2.4).
    pub(super) fn command_byte(&mut self, b: u8, now: Instant) {
        match b {
            b'\r' => {
                self.echo(b);
                let line = std::mem::take(&mut self.line);
                self.run_raw_line(line, now);
            }
            b'\n' => self.echo(b),
            0x08 => {
                self.echo(b);
                self.line.pop();
            }
            _ => {
                self.echo(b);
                if self.line.len() <= MAX_LINE {
                    self.line.push(b);
                }
                if self.line.eq_ignore_ascii_case(b"A/") {
                    self.line.clear();
                    let last = self.last_line.clone();
                    self.transcript(Direction::In, escape(b"A/"));
                    self.run_command_line(&last, now);
                }
            }
        }
    }

    pub(super) fn run_raw_line(&mut self, line: Vec<u8>, now: Instant) {
        if line.iter().all(|b| b.is_ascii_whitespace()) {
            return;
        }
        self.transcript(Direction::In, escape(&line));
        // V.250 5.2.1: characters before the AT prefix are ignored; a line
        // without one is no command and gets no answer.
        let Some(start) = line.windows(2).position(|w| w.eq_ignore_ascii_case(b"AT")) else {
            return;
        };
        let line = line[start..].to_vec();
        if line.len() > MAX_LINE {
            let mut reply = Reply::default();
            self.finish(&mut reply, Final::Error);
            self.dispatch(reply, Duration::ZERO, now);
            return;
        }
        self.last_line = line.clone();
        self.run_command_line(&line, now);
    }

    /// Runs a line that starts with `AT`: every command in turn, stopping
    /// at the first error (V.250 5.2.1).
    pub(super) fn run_command_line(&mut self, line: &[u8], now: Instant) {
        let body = line.get(2..).unwrap_or_default();
        let mut reply = Reply::default();
        let commands = match parser::parse(body) {
            Ok(commands) => commands,
            Err(_) => {
                self.finish(&mut reply, Final::Error);
                self.dispatch(reply, Duration::ZERO, now);
                return;
            }
        };
        let mut radio = false;
        let count = commands.len();
        for (i, command) in commands.iter().enumerate() {
            let step = self.exec(command, now);
            reply.after.append(&mut self.after);
            match step {
                Ok(Step::Info(lines)) => self.add_info(&mut reply, &lines),
                Ok(Step::Prompt(target)) if i + 1 == count => {
                    // TS 27.005 3.5.1: <CR><LF><greater_than><space>, and
                    // no line end after it.
                    self.send(&reply.bytes);
                    self.send(b"\r\n> ");
                    self.mode = Mode::Prompt { target, text: Vec::new() };
                    return;
                }
                Ok(Step::Prompt(_)) => {
                    self.finish(&mut reply, Final::Error);
                    break;
                }
                Ok(Step::Send { submit, prefix, from }) => {
                    radio = true;
                    match self.start_send(submit, from) {
                        Ok((mr, submit)) => {
                            self.add_info(&mut reply, &[format!("{prefix}: {mr}")]);
                            reply.after.push(After::Submit(submit));
                        }
                        Err(fail) => {
                            self.finish(&mut reply, fail);
                            break;
                        }
                    }
                }
                Ok(Step::Reset) => reply.after.push(After::Reset),
                Ok(Step::PowerOff) => reply.after.push(After::PowerOff),
                Err(fail) => {
                    self.finish(&mut reply, fail);
                    break;
                }
            }
            if i + 1 == count {
                self.finish(&mut reply, Final::Ok);
            }
        }
        if count == 0 {
            self.finish(&mut reply, Final::Ok);
        }
        let extra = if radio { self.timing.radio_time } else { Duration::ZERO };
        self.dispatch(reply, extra, now);
    }

    /// Routes one command to the chapter that owns it.
    pub(super) fn exec(&mut self, cmd: &Command, now: Instant) -> Result<Step, Final> {
        if let Some(result) = self.exec_v25(cmd) {
            return result;
        }
        if let Some(result) = self.exec_27007(cmd, now) {
            return result;
        }
        if let Some(result) = self.exec_27005(cmd, now) {
            return result;
        }
        if let Some(result) = self.exec_vendor(cmd) {
            return result;
        }
        // V.250 5.6: an unknown command is a syntax error.
        Err(Final::Error)
    }

    /// After `> `. TS 27.005 3.5.1: Ctrl-Z sends, ESC cancels; in text mode
    /// a CR gives a new prompt line.
    pub(super) fn prompt_byte(&mut self, b: u8, now: Instant) {
        let Mode::Prompt { target, text } = &mut self.mode else { return };
        let text_mode =
            matches!(target, PromptTarget::SendText { .. } | PromptTarget::WriteText { .. });
        match b {
            CTRL_Z | ESC => {
                let target = target.clone();
                let mut shown = std::mem::take(text);
                shown.push(b);
                self.mode = Mode::Command;
                self.transcript(Direction::In, escape(&shown));
                shown.pop();
                if b == ESC {
                    let mut reply = Reply::default();
                    self.finish(&mut reply, Final::Ok);
                    self.dispatch(reply, Duration::ZERO, now);
                } else {
                    self.prompt_done(target, shown, now);
                }
            }
            b'\r' if text_mode => {
                if text.len() < MAX_PROMPT_TEXT {
                    text.push(b'\n');
                }
                self.send(b"\r\n> ");
            }
            b'\r' | b'\n' => self.echo(b),
            0x08 => {
                text.pop();
                self.echo(b);
            }
            _ => {
                if text.len() < MAX_PROMPT_TEXT {
                    text.push(b);
                }
                self.echo(b);
            }
        }
    }

    pub(super) fn prompt_done(&mut self, target: PromptTarget, text: Vec<u8>, now: Instant) {
        let mut reply = Reply::default();
        let mut radio = false;
        match self.finish_prompt(target, &text) {
            Ok(Step::Send { submit, prefix, from }) => {
                radio = true;
                match self.start_send(submit, from) {
                    Ok((mr, submit)) => {
                        self.add_info(&mut reply, &[format!("{prefix}: {mr}")]);
                        reply.after.push(After::Submit(submit));
                        self.finish(&mut reply, Final::Ok);
                    }
                    Err(fail) => self.finish(&mut reply, fail),
                }
            }
            Ok(Step::Info(lines)) => {
                self.add_info(&mut reply, &lines);
                self.finish(&mut reply, Final::Ok);
            }
            Ok(_) => self.finish(&mut reply, Final::Error),
            Err(fail) => self.finish(&mut reply, fail),
        }
        let extra = if radio { self.timing.radio_time } else { Duration::ZERO };
        self.dispatch(reply, extra, now);
    }

    /// Checks what a send needs and gives the SUBMIT its TP-MR. An
    /// injected `+CMS ERROR` takes the place of the answer.
    pub(super) fn start_send(
        &mut self,
        mut submit: Submit,
        from: Option<(String, u32)>,
    ) -> Result<(u8, Submit), Final> {
        if self.reg_stat() != 1 {
            return Err(Final::Cms(cms::NO_NETWORK_SERVICE));
        }
        if let Some((code, left)) = self.faults.cms {
            self.faults.cms = (left > 1).then_some((code, left - 1));
            return Err(Final::Cms(code));
        }
        let mr = self.sim.next_mr();
        submit.message_ref = mr;
        if let Some((mem, index)) = from {
            if let Some(stored) = self.storages.get_mut(&mem).and_then(|s| s.get_mut(index)) {
                stored.stat = Stat::StoSent;
            }
        }
        Ok((mr, submit))
    }
}
