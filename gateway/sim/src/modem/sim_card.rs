//! The SIM card in a simulated modem: its identities and its PIN state
//! machine (TS 27.007 8.3 `+CPIN`), with the attempt counters of TS 31.102:
//! three wrong PINs block the PIN and ask for the PUK; ten wrong PUKs
//! block the card for good.

use crate::results::{cme, cms};

/// What `+CPIN?` reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PinState {
    /// No password wanted.
    Ready,
    /// `SIM PIN`: the card waits for its PIN.
    Pin,
    /// `SIM PUK`: three wrong PINs; the PUK and a new PIN unblock it.
    Puk,
    /// Ten wrong PUKs: the card is dead (`+CME ERROR: 13`, SIM failure).
    Blocked,
}

pub(crate) const PIN_ATTEMPTS: u8 = 3;
pub(crate) const PUK_ATTEMPTS: u8 = 10;

#[derive(Debug, Clone)]
pub(crate) struct SimCard {
    pub inserted: bool,
    pub number: String,
    pub imsi: String,
    pub iccid: String,
    /// The service centre address stored on the card (EF_SMSP), with its
    /// type of address.
    pub smsc: (String, u8),
    /// The last TP-MR used (EF_SMSS): it survives power cycles, so message
    /// references keep counting up.
    pub last_mr: u8,
    pin: Option<String>,
    puk: String,
    state: PinState,
    pin_left: u8,
    puk_left: u8,
}

/// Why the card cannot be used now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SimProblem {
    NotInserted,
    PinRequired,
    PukRequired,
    Failure,
}

impl SimProblem {
    /// As `+CME ERROR` (TS 27.007 9.2.1).
    pub(crate) fn cme(self) -> u16 {
        match self {
            SimProblem::NotInserted => cme::SIM_NOT_INSERTED,
            SimProblem::PinRequired => cme::SIM_PIN_REQUIRED,
            SimProblem::PukRequired => cme::SIM_PUK_REQUIRED,
            SimProblem::Failure => cme::SIM_FAILURE,
        }
    }

    /// As `+CMS ERROR` (TS 27.005 3.2.5).
    pub(crate) fn cms(self) -> u16 {
        match self {
            SimProblem::NotInserted => cms::SIM_NOT_INSERTED,
            SimProblem::PinRequired => cms::SIM_PIN_REQUIRED,
            SimProblem::PukRequired => cms::SIM_PUK_REQUIRED,
            SimProblem::Failure => 313,
        }
    }
}

impl SimCard {
    pub(crate) fn new(
        inserted: bool,
        number: String,
        imsi: String,
        iccid: String,
        pin: Option<String>,
        puk: String,
        smsc: String,
    ) -> Self {
        let state = if pin.is_some() { PinState::Pin } else { PinState::Ready };
        SimCard {
            inserted,
            number,
            imsi,
            iccid,
            smsc: (smsc, 145),
            last_mr: 0,
            pin,
            puk,
            state,
            pin_left: PIN_ATTEMPTS,
            puk_left: PUK_ATTEMPTS,
        }
    }

    /// Power-on: a card with a PIN asks for it again; a blocked PIN stays
    /// blocked (the counters live on the card).
    pub(crate) fn power_on(&mut self) {
        if self.state == PinState::Ready && self.pin.is_some() {
            self.state = PinState::Pin;
        }
    }

    /// Ready for subscriber commands, or why not.
    pub(crate) fn check(&self) -> Result<(), SimProblem> {
        if !self.inserted {
            return Err(SimProblem::NotInserted);
        }
        match self.state {
            PinState::Ready => Ok(()),
            PinState::Pin => Err(SimProblem::PinRequired),
            PinState::Puk => Err(SimProblem::PukRequired),
            PinState::Blocked => Err(SimProblem::Failure),
        }
    }

    pub(crate) fn ready(&self) -> bool {
        self.check().is_ok()
    }

    /// The `<code>` of `+CPIN: <code>`; `None` without a card.
    pub(crate) fn cpin_code(&self) -> Option<&'static str> {
        if !self.inserted {
            return None;
        }
        Some(match self.state {
            PinState::Ready => "READY",
            PinState::Pin => "SIM PIN",
            PinState::Puk | PinState::Blocked => "SIM PUK",
        })
    }

    /// `AT+CPIN=<pin>[,<newpin>]` (TS 27.007 8.3). Returns the `+CME ERROR`
    /// code on failure. When the card waits for the PUK, `pin` is the PUK
    /// and `newpin` the PIN that replaces the old one.
    pub(crate) fn enter(&mut self, pin: &str, newpin: Option<&str>) -> Result<(), u16> {
        if !self.inserted {
            return Err(cme::SIM_NOT_INSERTED);
        }
        match self.state {
            // TS 27.007 8.3: with no password pending, an error is returned.
            PinState::Ready => Err(cme::OPERATION_NOT_ALLOWED),
            PinState::Blocked => Err(cme::SIM_FAILURE),
            PinState::Pin => {
                if self.pin.as_deref() == Some(pin) {
                    self.state = PinState::Ready;
                    self.pin_left = PIN_ATTEMPTS;
                    Ok(())
                } else {
                    self.pin_left = self.pin_left.saturating_sub(1);
                    if self.pin_left == 0 {
                        self.state = PinState::Puk;
                    }
                    Err(cme::INCORRECT_PASSWORD)
                }
            }
            PinState::Puk => {
                let Some(newpin) = newpin.filter(|p| valid_pin(p)) else {
                    return Err(cme::SIM_PUK_REQUIRED);
                };
                if pin == self.puk {
                    self.pin = Some(newpin.to_owned());
                    self.state = PinState::Ready;
                    self.pin_left = PIN_ATTEMPTS;
                    self.puk_left = PUK_ATTEMPTS;
                    Ok(())
                } else {
                    self.puk_left = self.puk_left.saturating_sub(1);
                    if self.puk_left == 0 {
                        self.state = PinState::Blocked;
                    }
                    Err(cme::INCORRECT_PASSWORD)
                }
            }
        }
    }

    /// Attempts left for the PIN and the PUK.
    #[cfg(test)]
    pub(crate) fn attempts_left(&self) -> (u8, u8) {
        (self.pin_left, self.puk_left)
    }

    /// The next TP-MR, counting on from the last used one.
    pub(crate) fn next_mr(&mut self) -> u8 {
        self.last_mr = self.last_mr.wrapping_add(1);
        self.last_mr
    }
}

/// A PIN is 4 to 8 digits (TS 31.101 9.3 / TS 22.030).
fn valid_pin(pin: &str) -> bool {
    (4..=8).contains(&pin.len()) && pin.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(pin: Option<&str>) -> SimCard {
        SimCard::new(
            true,
            "+31600000001".into(),
            "204040000000001".into(),
            "8931040000000000014".into(),
            pin.map(str::to_owned),
            "12345678".into(),
            "+31653131313".into(),
        )
    }

    #[test]
    fn wrong_pins_count_down_to_puk() {
        let mut sim = card(Some("1234"));
        assert_eq!(sim.cpin_code(), Some("SIM PIN"));
        for left in [2, 1] {
            assert_eq!(sim.enter("0000", None), Err(cme::INCORRECT_PASSWORD));
            assert_eq!(sim.attempts_left().0, left);
            assert_eq!(sim.cpin_code(), Some("SIM PIN"));
        }
        assert_eq!(sim.enter("0000", None), Err(cme::INCORRECT_PASSWORD));
        assert_eq!(sim.cpin_code(), Some("SIM PUK"));
        assert_eq!(sim.check(), Err(SimProblem::PukRequired));
        // The right PIN no longer helps.
        assert_eq!(sim.enter("1234", None), Err(cme::SIM_PUK_REQUIRED));
        assert_eq!(sim.enter("12345678", Some("4321")), Ok(()));
        assert!(sim.ready());
        sim.power_on();
        assert_eq!(sim.enter("4321", None), Ok(()));
    }

    #[test]
    fn no_pin_pending() {
        let mut sim = card(None);
        assert_eq!(sim.enter("1234", None), Err(cme::OPERATION_NOT_ALLOWED));
        sim.power_on();
        assert!(sim.ready());
    }
}
