//! `classify_unsolicited`: the built-in URC set and profile prefixes, one
//! line at a time, as seen with no command pending.

use bubblegate_at::classify_unsolicited;

#[test]
fn built_in_and_profile_urcs() {
    let extra = ["+FOO:", "", "*EMRDY"];
    let cases: &[(&str, Option<&str>)] = &[
        ("+CMTI: \"SM\",3", Some("NewMessage { storage: \"SM\", index: 3 }")),
        ("+CMTI: \"ME\",-1", Some("Other { prefix: \"+CMTI:\", line: \"+CMTI: \\\"ME\\\",-1\" }")),
        ("+CDSI: \"SR\",0", Some("StatusReportStored { storage: \"SR\", index: 0 }")),
        ("+CMT: ,23", Some("Message { alpha: None, length: 23, pdu: \"\" }")),
        ("+CDS: 25", Some("StatusReport { length: 25, pdu: \"\" }")),
        ("+CREG: 1", Some("Registration { domain: Cs, registration: Registration { mode: None, status: Home, lac: None, ci: None, act: None } }")),
        (
            "+CGREG: 1,\"1A2B\",\"00ABCDEF\",2",
            Some("Registration { domain: Ps, registration: Registration { mode: None, status: Home, lac: Some(6699), ci: Some(11259375), act: Some(Utran) } }"),
        ),
        (
            "+CEREG: 5,\"00FF\",\"01234567\",7",
            Some("Registration { domain: Eps, registration: Registration { mode: None, status: Roaming, lac: Some(255), ci: Some(19088743), act: Some(EUtran) } }"),
        ),
        (
            "+CREG: 1, E006B, ABE0016",
            Some("Registration { domain: Cs, registration: Registration { mode: None, status: Home, lac: Some(917611), ci: Some(180224022), act: None } }"),
        ),
        ("+CREG: x", Some("Other { prefix: \"+CREG:\", line: \"+CREG: x\" }")),
        ("RING", Some("Ring")),
        ("+CRING: VOICE", Some("Ring")),
        ("+CLIP: \"+31612345678\",145,,,,0", Some("CallerId { number: \"+31612345678\", number_type: Some(145) }")),
        ("NO CARRIER", Some("NoCarrier")),
        ("+CPIN: READY", Some("Sim(Ready)")),
        ("+CPIN: NOT INSERTED", Some("Sim(NotInserted)")),
        ("+CPIN: SIM PIN", Some("Sim(SimPin)")),
        ("+CFUN: 1", Some("Functionality(1)")),
        ("RDY", Some("Ready(Rdy)")),
        ("Call Ready", Some("Ready(CallReady)")),
        ("SMS Ready", Some("Ready(SmsReady)")),
        ("SMS DONE", Some("Ready(SmsReady)")),
        ("PB DONE", Some("Ready(PhonebookReady)")),
        ("+QIND: SMS DONE", Some("Ready(SmsReady)")),
        ("+QIND: \"csq\",20,99", Some("Other { prefix: \"+QIND:\", line: \"+QIND: \\\"csq\\\",20,99\" }")),
        ("+PACSP: 1", Some("Other { prefix: \"+PACSP\", line: \"+PACSP: 1\" }")),
        ("^RSSI:25", Some("HuaweiRssi(25)")),
        ("^BOOT:35323129,0,0,0,26", Some("Other { prefix: \"^BOOT:\", line: \"^BOOT:35323129,0,0,0,26\" }")),
        ("^MODE:5,4", Some("HuaweiMode { mode: 5, submode: Some(4) }")),
        ("^SRVST:0", Some("Other { prefix: \"^SRVST:\", line: \"^SRVST:0\" }")),
        ("NORMAL POWER DOWN", Some("PowerDown(\"NORMAL POWER DOWN\")")),
        ("UNDER-VOLTAGE WARNNING", Some("Other { prefix: \"UNDER-VOLTAGE WARNNING\", line: \"UNDER-VOLTAGE WARNNING\" }")),
        ("+FOO: bar", Some("Other { prefix: \"+FOO:\", line: \"+FOO: bar\" }")),
        ("*EMRDY: 1", Some("Other { prefix: \"*EMRDY\", line: \"*EMRDY: 1\" }")),
        ("OK", None),
        ("ERROR", None),
        ("+CSQ: 20,99", None),
        ("+CMGS: 12", None),
        ("hello", None),
        ("", None),
    ];
    for &(line, expected) in cases {
        let got = classify_unsolicited(line, &extra).map(|u| format!("{u:?}"));
        assert_eq!(got.as_deref(), expected, "{line:?}");
    }
}
