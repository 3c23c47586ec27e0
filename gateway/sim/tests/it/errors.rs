//! Result codes for wrong states and bad input: SIM missing, PIN and PUK
//! (TS 27.007 8.3, 9.2.1 `+CME ERROR` 10/11/12/16; TS 27.005 3.2.5
//! `+CMS ERROR` 310/311/316), `+CMEE` modes (27.007 9.1), numeric results
//! (V.250 6.2.6), and V.250 5.2 command line syntax.

use crate::support::*;
use bubblegate_sim::ModemSpec;

fn locked(profile_name: &str) -> (Sim, bubblegate_sim::ModemId, String) {
    let mut sim = Sim::fast();
    let mut spec = ModemSpec::new(profile(profile_name), 0);
    spec.pin = Some("1234".into());
    let id = sim.add_spec(spec);
    let boot = sim.take(id);
    sim.quiet(id);
    (sim, id, boot)
}

#[test]
fn no_sim() {
    let mut sim = Sim::fast();
    let mut spec = ModemSpec::new(profile("quectel-ec25"), 0);
    spec.sim_inserted = false;
    let id = sim.add_spec(spec);
    // The SIM-dependent ready URCs never come.
    assert_eq!(sim.take(id), "\r\nRDY\r\n\r\n+CFUN: 1\r\n\r\n+CPIN: NOT INSERTED\r\n");
    sim.quiet(id);
    let table = [
        ("AT+CPIN?", "\r\n+CME ERROR: 10\r\n"),
        ("AT+CIMI", "\r\n+CME ERROR: 10\r\n"),
        ("AT+QCCID", "\r\n+CME ERROR: 10\r\n"),
        ("AT+CMGL=4", "\r\n+CMS ERROR: 310\r\n"),
        ("AT+CPMS?", "\r\n+CMS ERROR: 310\r\n"),
        ("AT+CREG?", "\r\n+CREG: 0,0\r\n\r\nOK\r\n"),
        ("AT+CGMI", "\r\nQuectel\r\n\r\nOK\r\n"),
        ("AT+CMEE=2", "\r\nOK\r\n"),
        ("AT+CPIN?", "\r\n+CME ERROR: SIM not inserted\r\n"),
        ("AT+CMEE=0", "\r\nOK\r\n"),
        ("AT+CPIN?", "\r\nERROR\r\n"),
    ];
    for (line, want) in table {
        assert_eq!(sim.at(id, line), want, "{line}");
    }
}

#[test]
fn pin_then_ready_urcs() {
    let (mut sim, id, boot) = locked("simcom-sim800");
    // SIM800: RDY and +CFUN: 1 come; Call Ready and SMS Ready wait for
    // the PIN.
    assert_eq!(boot, "\r\nRDY\r\n\r\n+CFUN: 1\r\n");
    let table = [
        ("AT+CPIN?", "\r\n+CPIN: SIM PIN\r\n\r\nOK\r\n"),
        ("AT+CIMI", "\r\n+CME ERROR: 11\r\n"),
        ("AT+CMGS=20", "\r\n+CMS ERROR: 311\r\n"),
        ("AT+CREG?", "\r\n+CREG: 0,0\r\n\r\nOK\r\n"),
        ("AT+CPIN=\"1234\"", "\r\nOK\r\n\r\nCall Ready\r\n\r\nSMS Ready\r\n"),
        ("AT+CPIN?", "\r\n+CPIN: READY\r\n\r\nOK\r\n"),
        ("AT+CREG?", "\r\n+CREG: 0,1\r\n\r\nOK\r\n"),
        // No PIN pending: operation not allowed.
        ("AT+CPIN=\"1234\"", "\r\n+CME ERROR: 3\r\n"),
    ];
    for (line, want) in table {
        assert_eq!(sim.at(id, line), want, "{line}");
    }
}

#[test]
fn pin_unlock_announces_cpin_ready_where_the_model_does() {
    let (mut sim, id, boot) = locked("quectel-ec25");
    assert_eq!(boot, "\r\nRDY\r\n\r\n+CFUN: 1\r\n\r\n+CPIN: SIM PIN\r\n");
    assert_eq!(
        sim.at(id, "AT+CPIN=1234"),
        "\r\nOK\r\n\r\n+CPIN: READY\r\n\r\n+QIND: SMS DONE\r\n\r\n+QIND: PB DONE\r\n"
    );
}

#[test]
fn wrong_pins_lead_to_puk() {
    let (mut sim, id, _) = locked("ublox-sara-r4");
    sim.at(id, "AT+CREG=1");
    for _ in 0..3 {
        assert_eq!(sim.at(id, "AT+CPIN=\"0000\""), "\r\n+CME ERROR: 16\r\n");
    }
    let table = [
        ("AT+CPIN?", "\r\n+CPIN: SIM PUK\r\n\r\nOK\r\n"),
        ("AT+CIMI", "\r\n+CME ERROR: 12\r\n"),
        ("AT+CMGL=4", "\r\n+CMS ERROR: 316\r\n"),
        ("AT+CPIN=\"1234\"", "\r\n+CME ERROR: 12\r\n"),
        ("AT+CPIN=\"87654321\",\"4321\"", "\r\n+CME ERROR: 16\r\n"),
        ("AT+CPIN=\"12345678\",\"4321\"", "\r\nOK\r\n\r\n+CPIN: READY\r\n\r\n+CREG: 1\r\n"),
        ("AT+CIMI", "\r\n204040000000001\r\n\r\nOK\r\n"),
    ];
    for (line, want) in table {
        assert_eq!(sim.at(id, line), want, "{line}");
    }
}

#[test]
fn cmee_modes_and_unknown_commands() {
    let mut sim = Sim::fast();
    let id = sim.add(profile("simcom-sim800"));
    sim.quiet(id);
    let table = [
        // Unknown commands are V.250 syntax errors: plain ERROR always.
        ("AT+NOPE", "\r\nERROR\r\n"),
        ("AT+CMEE=2", "\r\nOK\r\n"),
        ("AT+NOPE", "\r\nERROR\r\n"),
        // Known command, unsupported value: operation not supported.
        ("AT+CFUN=7", "\r\n+CME ERROR: operation not supported\r\n"),
        ("AT+CMEE=1", "\r\nOK\r\n"),
        ("AT+CFUN=7", "\r\n+CME ERROR: 4\r\n"),
        ("AT+CMEE?", "\r\n+CMEE: 1\r\n\r\nOK\r\n"),
        ("AT+CMEE=?", "\r\n+CMEE: (0-2)\r\n\r\nOK\r\n"),
        ("AT+CMGR=0", "\r\n+CMS ERROR: 321\r\n"),
        ("AT+CMGR=31", "\r\n+CMS ERROR: 321\r\n"),
        ("AT+CMGR=5", "\r\nOK\r\n"),
    ];
    for (line, want) in table {
        assert_eq!(sim.at(id, line), want, "{line}");
    }
}

#[test]
fn numeric_results() {
    // V.250 6.2.6: ATV0 gives <numeric code><CR>; information text is
    // <text><CR><LF>.
    let mut sim = Sim::fast();
    let id = sim.add(profile("simcom-sim800"));
    sim.quiet(id);
    assert_eq!(sim.at(id, "ATV0"), "0\r");
    assert_eq!(sim.at(id, "AT+CGMI"), "SIMCOM_Ltd\r\n0\r");
    assert_eq!(sim.at(id, "AT+NOPE"), "4\r");
    assert_eq!(sim.at(id, "AT+CMGR=99"), "+CMS ERROR: 321\r");
    assert_eq!(sim.at(id, "ATV1"), "\r\nOK\r\n");
    assert_eq!(sim.at(id, "ATQ1"), "");
    assert_eq!(sim.at(id, "AT+CGMI"), "\r\nSIMCOM_Ltd\r\n");
    assert_eq!(sim.at(id, "ATZ"), "\r\nOK\r\n");
    assert_eq!(sim.at(id, "AT"), "AT\r\r\nOK\r\n");
}

#[test]
fn command_line_syntax() {
    let mut sim = Sim::fast();
    let id = sim.add(profile("quectel-ec25"));
    sim.quiet(id);
    let table = [
        // Several commands on one line; case does not matter.
        ("at+cmgf=1;+cscs=\"GSM\"", "\r\nOK\r\n"),
        ("AT+CMGF?;+CSCS?", "\r\n+CMGF: 1\r\n\r\n+CSCS: \"GSM\"\r\n\r\nOK\r\n"),
        // The first error ends the line; earlier answers stay.
        ("AT+CGMI;+NOPE;+CGMM", "\r\nQuectel\r\n\r\nERROR\r\n"),
        ("ATE0V1", "\r\nOK\r\n"),
        ("AT", "\r\nOK\r\n"),
        ("AT+CMGF=\"1", "\r\nERROR\r\n"),
        // Test forms the drivers and gammu probe.
        ("AT+CMGF=?", "\r\n+CMGF: (0,1)\r\n\r\nOK\r\n"),
        ("AT+CNMI=?", "\r\n+CNMI: (0-2),(0-3),(0,2),(0-2),(0,1)\r\n\r\nOK\r\n"),
        ("AT+CSCS=?", "\r\n+CSCS: (\"IRA\",\"GSM\",\"UCS2\",\"HEX\")\r\n\r\nOK\r\n"),
        ("AT+CSMS=?", "\r\n+CSMS: (0,1)\r\n\r\nOK\r\n"),
        ("AT+CMGL=?", "\r\n+CMGL: (\"REC UNREAD\",\"REC READ\",\"STO UNSENT\",\"STO SENT\",\"ALL\")\r\n\r\nOK\r\n"),
        ("AT+CREG=?", "\r\n+CREG: (0-2)\r\n\r\nOK\r\n"),
        ("AT+CFUN=?", "\r\n+CFUN: (0,1,4),(0-1)\r\n\r\nOK\r\n"),
        ("AT+CSQ=?", "\r\n+CSQ: (0-31,99),(0-7,99)\r\n\r\nOK\r\n"),
        ("AT+CMMS=2", "\r\nOK\r\n"),
        ("AT+CMMS?", "\r\n+CMMS: 2\r\n\r\nOK\r\n"),
        ("AT+CSCA=\"+31600000099\",145", "\r\nOK\r\n"),
        ("AT+CSCA?", "\r\n+CSCA: \"+31600000099\",145\r\n\r\nOK\r\n"),
        ("AT+CSMP?", "\r\n+CSMP: 17,167,0,0\r\n\r\nOK\r\n"),
        ("ATS3?", "\r\n013\r\n\r\nOK\r\n"),
        ("ATD+31612345678;", "\r\nNO CARRIER\r\n"),
        // A line without AT is no command and gets no answer.
        ("hello", ""),
    ];
    for (line, want) in table {
        assert_eq!(sim.at(id, line), want, "{line}");
    }
    // Backspace edits the line; A/ repeats the last one (V.250 5.2.4).
    sim.write(id, b"AT+CGMX\x08M\r");
    assert_eq!(sim.take(id), "\r\nEC25\r\n\r\nOK\r\n");
    sim.write(id, b"A/");
    assert_eq!(sim.take(id), "\r\nEC25\r\n\r\nOK\r\n");
    // An over-long line is an error.
    assert_eq!(sim.at(id, &format!("AT{}", "E".repeat(600))), "\r\nERROR\r\n");
    // Bytes split anywhere make the same answers.
    for b in b"AT+CGMM\r" {
        sim.write(id, &[*b]);
    }
    assert_eq!(sim.take(id), "\r\nEC25\r\n\r\nOK\r\n");
}

#[test]
fn cfun_radio_off() {
    let mut sim = Sim::fast();
    let id = sim.add(profile("simcom-sim800"));
    sim.quiet(id);
    sim.at(id, "AT+CREG=1");
    assert_eq!(sim.at(id, "AT+CFUN=0"), "\r\nOK\r\n\r\n+CREG: 0\r\n");
    assert_eq!(sim.at(id, "AT+CFUN?"), "\r\n+CFUN: 0\r\n\r\nOK\r\n");
    assert_eq!(sim.at(id, "AT+CSQ"), "\r\n+CSQ: 99,99\r\n\r\nOK\r\n");
    assert_eq!(sim.at(id, "AT+CFUN=1"), "\r\nOK\r\n\r\n+CREG: 1\r\n");
}
