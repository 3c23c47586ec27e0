//! Power-on and identification, for every profile in `modem-profiles/`.
//!
//! The ready URCs follow each model's power-on sequence: SIM800 Series AT
//! Command Manual V1.09, "Unsolicited result codes" (`RDY`, `+CFUN: 1`,
//! `Call Ready`, `SMS Ready`); Quectel EC25&EC21 AT Commands Manual V1.3
//! and the EC2x&EG9x manual (`RDY`, `+CFUN: 1`, `+CPIN: READY`,
//! `+QIND: SMS DONE`, `+QIND: PB DONE`); SIM7500_SIM7600 Series AT Command
//! Manual V2.00 (`RDY`, `+CPIN: READY`, `SMS DONE`, `PB DONE`); the
//! HUAWEI LTE Module AT Command Interface Specification (`^SYSSTART`).
//! The answer formats are those of TS 27.007 chapter 5 (bare information
//! text), 7.2 (`+CREG: <n>,<stat>`), 7.3 (`+COPS: <mode>,<format>,<oper>
//! [,<AcT>]`) and 8.5 (`+CSQ: <rssi>,<ber>`).

use crate::support::*;

struct Row {
    profile: &'static str,
    /// The URC lines after power-on, in order.
    boot: &'static [&'static str],
    /// The ICCID command's answer line for ICCID 8931040000000000018.
    iccid: &'static str,
    /// `<AcT>` in `+COPS?`: 7 for the LTE modems (those with `+CEREG`).
    lte: bool,
}

const ICCID: &str = "8931040000000000018";

const TABLE: &[Row] = &[
    Row {
        profile: "generic",
        boot: &[],
        iccid: "+CRSM: 144,0,\"981340000000000010F8\"",
        lte: true,
    },
    Row {
        profile: "huawei-e173",
        boot: &[],
        iccid: "+CRSM: 144,0,\"981340000000000010F8\"",
        lte: false,
    },
    Row {
        profile: "huawei-e3372",
        boot: &["^SYSSTART"],
        iccid: "^ICCID: 8931040000000000018",
        lte: true,
    },
    Row {
        profile: "quectel-bg96",
        boot: &["RDY", "+CPIN: READY", "APP RDY", "+QIND: SMS DONE", "+QIND: PB DONE"],
        iccid: "+QCCID: 8931040000000000018",
        lte: true,
    },
    Row {
        profile: "quectel-ec25",
        boot: &["RDY", "+CFUN: 1", "+CPIN: READY", "+QIND: SMS DONE", "+QIND: PB DONE"],
        iccid: "+QCCID: 8931040000000000018",
        lte: true,
    },
    Row {
        profile: "quectel-eg91",
        boot: &["RDY", "+CFUN: 1", "+CPIN: READY", "+QIND: SMS DONE", "+QIND: PB DONE"],
        iccid: "+QCCID: 8931040000000000018",
        lte: true,
    },
    Row { profile: "sierra-em74xx", boot: &[], iccid: "ICCID: 8931040000000000018", lte: true },
    Row { profile: "sierra-mc73xx", boot: &[], iccid: "ICCID: 8931040000000000018", lte: true },
    Row {
        profile: "simcom-sim7600",
        boot: &["RDY", "+CPIN: READY", "SMS DONE", "PB DONE"],
        iccid: "+ICCID: 8931040000000000018",
        lte: true,
    },
    Row {
        profile: "simcom-sim800",
        boot: &["RDY", "+CFUN: 1", "Call Ready", "SMS Ready"],
        iccid: "8931040000000000018",
        lte: false,
    },
    Row {
        profile: "telit-le910",
        boot: &["#QSS: 3"],
        iccid: "#CCID: 8931040000000000018",
        lte: true,
    },
    Row {
        profile: "ublox-lara-r2",
        boot: &["+CPIN: READY"],
        iccid: "+CCID: 8931040000000000018",
        lte: true,
    },
    Row {
        profile: "ublox-sara-r4",
        boot: &["+CPIN: READY"],
        iccid: "+CCID: 8931040000000000018",
        lte: true,
    },
    Row {
        profile: "zte-mf",
        boot: &[],
        iccid: "+CRSM: 144,0,\"981340000000000010F8\"",
        lte: false,
    },
];

/// `<CR><LF>line<CR><LF>` for each URC, as V.250 5.7 frames them (ATV1).
fn urcs(lines: &[&str]) -> String {
    lines.iter().map(|l| format!("\r\n{l}\r\n")).collect()
}

/// An information response and OK (V.250 5.7.2, 5.7.1).
fn answer(line: &str) -> String {
    format!("\r\n{line}\r\n\r\nOK\r\n")
}

#[test]
fn table_covers_every_profile() {
    let names: Vec<String> = profiles().iter().map(|p| p.name.clone()).collect();
    let rows: Vec<String> = TABLE.iter().map(|r| r.profile.to_owned()).collect();
    assert_eq!(names, rows);
}

#[test]
fn boot_prints_the_models_ready_urcs() {
    for row in TABLE {
        let mut sim = Sim::fast();
        let id = sim.add(profile(row.profile));
        assert_eq!(sim.take(id), urcs(row.boot), "{}", row.profile);
    }
}

#[test]
fn identify_sequence() {
    for row in TABLE {
        let p = profile(row.profile);
        let mut sim = Sim::fast();
        let id = sim.add(p.clone());
        sim.take(id);
        let id_ = &p.identity;
        let info = sim.net.modem(id).unwrap();
        assert_eq!(info.iccid, ICCID);
        // With echo on (the power-on default, V.250 6.2.4) the line comes
        // back before the answer.
        assert_eq!(sim.at(id, "AT"), "AT\r\r\nOK\r\n", "{}", row.profile);
        sim.quiet(id);
        let act = if row.lte { ",7" } else { "" };
        let expect: Vec<(String, String)> = vec![
            ("AT+CGMI".into(), answer(&id_.manufacturer)),
            ("AT+CGMM".into(), answer(&id_.model)),
            ("AT+CGMR".into(), answer(&id_.revision)),
            ("AT+CGSN".into(), answer(&info.imei)),
            ("AT+CIMI".into(), answer(&info.imsi)),
            (p.queries.iccid.to_string(), answer(row.iccid)),
            ("AT+CPIN?".into(), answer("+CPIN: READY")),
            ("AT+CSQ".into(), answer("+CSQ: 20,99")),
            ("AT+CREG?".into(), answer("+CREG: 0,1")),
            ("AT+COPS?".into(), answer(&format!("+COPS: 0,0,\"Bubblegate\"{act}"))),
            ("AT+CNUM".into(), answer("+CNUM: \"\",\"+31600000001\",145")),
            (
                "at+cgmi;+CGMM".into(),
                format!("\r\n{}\r\n\r\n{}\r\n\r\nOK\r\n", id_.manufacturer, id_.model),
            ),
        ];
        for (line, want) in expect {
            assert_eq!(sim.at(id, &line), want, "{} {line}", row.profile);
        }
    }
}

#[test]
fn every_command_a_profile_names_is_accepted() {
    // The driver sends the profile's init, query and recovery lines; the
    // simulated model must answer each with OK (after any information).
    for p in all_profiles() {
        let mut sim = Sim::fast();
        let id = sim.add(p.clone());
        sim.quiet(id);
        let mut lines: Vec<String> = p.startup().iter().map(|l| l.to_string()).collect();
        lines.extend(p.queries.signal.iter().map(|l| l.to_string()));
        lines.extend(p.queries.registration.iter().map(|l| l.to_string()));
        lines.push(p.queries.operator.to_string());
        lines.extend(p.recovery.radio_cycle.iter().map(|l| l.to_string()));
        for line in lines {
            let got = sim.at(id, &line);
            let got = got.trim_start_matches(&format!("{line}\r")[..]);
            assert!(got.ends_with("\r\nOK\r\n"), "{}: {line} -> {got:?}", p.name);
        }
    }
}

#[test]
fn ati_and_gcap() {
    // V.250 6.1.3 (I) and 6.1.9 (+GCAP).
    let mut sim = Sim::fast();
    let id = sim.add(profile("quectel-ec25"));
    sim.quiet(id);
    assert_eq!(
        sim.at(id, "ATI"),
        "\r\nQuectel\r\nEC25\r\nRevision: EC25EFAR06A06M4G\r\n\r\nOK\r\n"
    );
    assert_eq!(sim.at(id, "AT+GCAP"), answer("+GCAP: +CGSM"));
}
