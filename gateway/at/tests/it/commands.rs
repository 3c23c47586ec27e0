//! Typed commands: the lines they build (each checked by
//! `validate_command_line` on the way) and the answers they parse.

use bubblegate_at::commands::control::{
    Attention, ErrorReporting, ReportErrors, SetEcho, SetFunctionality,
};
use bubblegate_at::commands::identify::{Manufacturer, Model, Revision, SerialNumber};
use bubblegate_at::commands::network::{
    AccessTechnology, Csq, Domain, OperatorQuery, OwnNumber, Registration, RegistrationQuery,
    RegistrationReporting, RegistrationStatus, SetRegistrationReporting, SignalQuality,
};
use bubblegate_at::commands::sim::{
    normalize_iccid, EnterPin, IccidQuery, Imsi, PinQuery, PinStatus,
};
use bubblegate_at::commands::sms::{
    Acknowledge, CmglEntry, CmgrEntry, DeleteFlag, DeleteMessage, ListMessages, ListMessagesText,
    MessageStatus, MoreMessages, MoreMessagesMode, ReadMessage, SendPdu, SendText,
};
use bubblegate_at::commands::sms_config::{
    MessageFormat, MessageFormatQuery, NewMessageIndications, SelectService, ServiceCentreQuery,
    SetMessageFormat, SetServiceCentre, SetStorage, StorageQuery,
};
use bubblegate_at::commands::{AtRequest, ParseError, ResponseError};
use bubblegate_at::{
    validate_command_line, CmsCode, CmsError, CommandId, FinalResult, Outcome, Response,
};

use crate::support::retry;

const PDU: &str = "07913366003051F5040B913366304381F900005180719120348004D4F29C0E";

fn line<R: AtRequest>(request: R) -> String {
    request.command(retry(1000, 1)).expect("command builds").line().to_owned()
}

fn lines(texts: &[&str]) -> Vec<String> {
    texts.iter().map(|t| t.to_string()).collect()
}

#[test]
fn command_lines() {
    let cases: Vec<(String, &str)> = vec![
        (line(Attention), "AT"),
        (line(SetEcho(false)), "ATE0"),
        (line(ReportErrors(ErrorReporting::Numeric)), "AT+CMEE=1"),
        (line(SetFunctionality { fun: 1, reset: true }), "AT+CFUN=1,1"),
        (line(SetFunctionality { fun: 4, reset: false }), "AT+CFUN=4"),
        (line(Manufacturer), "AT+CGMI"),
        (line(Model), "AT+CGMM"),
        (line(Revision), "AT+CGMR"),
        (line(SerialNumber), "AT+CGSN"),
        (line(Imsi), "AT+CIMI"),
        (line(IccidQuery::Ccid), "AT+CCID"),
        (line(IccidQuery::Ciccid), "AT+CICCID"),
        (line(IccidQuery::Qccid), "AT+QCCID"),
        (line(IccidQuery::Huawei), "AT^ICCID?"),
        (line(IccidQuery::RestrictedSimAccess), "AT+CRSM=176,12258,0,0,10"),
        (line(PinQuery), "AT+CPIN?"),
        (line(EnterPin::new("1234").expect("pin")), "AT+CPIN=\"1234\""),
        (
            line(EnterPin::with_puk("12345678", "0000").expect("puk")),
            "AT+CPIN=\"12345678\",\"0000\"",
        ),
        (line(SignalQuality), "AT+CSQ"),
        (line(RegistrationQuery(Domain::Cs)), "AT+CREG?"),
        (line(RegistrationQuery(Domain::Ps)), "AT+CGREG?"),
        (line(RegistrationQuery(Domain::Eps)), "AT+CEREG?"),
        (
            line(SetRegistrationReporting {
                domain: Domain::Eps,
                reporting: RegistrationReporting::WithLocation,
            }),
            "AT+CEREG=2",
        ),
        (line(OperatorQuery), "AT+COPS?"),
        (line(OwnNumber), "AT+CNUM"),
        (line(SetMessageFormat(MessageFormat::Pdu)), "AT+CMGF=0"),
        (line(MessageFormatQuery), "AT+CMGF?"),
        (line(SelectService(1)), "AT+CSMS=1"),
        (line(ServiceCentreQuery), "AT+CSCA?"),
        (
            line(SetServiceCentre::new("+32475161616", Some(145)).expect("sca")),
            "AT+CSCA=\"+32475161616\",145",
        ),
        (line(SetStorage::new(&["SM", "SM", "SM"]).expect("cpms")), "AT+CPMS=\"SM\",\"SM\",\"SM\""),
        (line(StorageQuery), "AT+CPMS?"),
        (line(NewMessageIndications { mode: 2, mt: 1, bm: 0, ds: 2, bfr: 0 }), "AT+CNMI=2,1,0,2,0"),
        (line(SendPdu::new(PDU).expect("pdu")), "AT+CMGS=23"),
        (
            line(SendText::new("+31612345678", "see you at 8").expect("text")),
            "AT+CMGS=\"+31612345678\"",
        ),
        (line(ListMessages(MessageStatus::All)), "AT+CMGL=4"),
        (line(ListMessagesText(MessageStatus::ReceivedUnread)), "AT+CMGL=\"REC UNREAD\""),
        (line(ReadMessage(12)), "AT+CMGR=12"),
        (line(DeleteMessage { index: 3, flag: DeleteFlag::Index }), "AT+CMGD=3,0"),
        (line(DeleteMessage { index: 1, flag: DeleteFlag::All }), "AT+CMGD=1,4"),
        (line(Acknowledge::Positive), "AT+CNMA"),
        (line(Acknowledge::Negative), "AT+CNMA=2"),
        (line(MoreMessages(MoreMessagesMode::Enabled)), "AT+CMMS=2"),
    ];
    for (built, expected) in cases {
        assert_eq!(built, expected);
        assert_eq!(validate_command_line(&built), Ok(()));
    }
}

#[test]
fn bodies_and_parameters_are_checked() {
    assert_eq!(SendPdu::new(PDU).expect("pdu").length(), 23);
    assert_eq!(SendPdu::new("0011000B911326880736F40000A900").expect("pdu").length(), 14);
    assert!(SendPdu::new("001").is_err(), "odd length");
    assert!(SendPdu::new("07").is_err(), "no TPDU");
    assert!(SendPdu::new("00XY").is_err(), "not hex");
    assert!(SendText::new("+31612345678", "two\rlines").is_err());
    assert!(SendText::new("+3161234567a", "hi").is_err());
    assert!(EnterPin::new("12a4").is_err());
    assert!(EnterPin::new("123").is_err());
    assert!(SetServiceCentre::new("+31\"6", None).is_err());
    assert!(SetStorage::new(&[]).is_err());
    assert!(SetStorage::new(&["SM\""]).is_err());
    let body = SendPdu::new(PDU).expect("pdu").body().expect("body").expect("some");
    assert_eq!(body.as_bytes(), PDU.as_bytes());
}

#[test]
fn identification_answers() {
    assert_eq!(Manufacturer.parse(&lines(&["SIMCOM_Ltd"])), Ok("SIMCOM_Ltd".to_owned()));
    assert_eq!(Manufacturer.parse(&lines(&["+CGMI: \"Quectel\""])), Ok("Quectel".to_owned()));
    assert_eq!(
        Revision.parse(&lines(&["Revision:1418B05SIM800C24"])),
        Ok("Revision:1418B05SIM800C24".to_owned())
    );
    assert_eq!(SerialNumber.parse(&lines(&["867584034229617"])), Ok("867584034229617".to_owned()));
    assert_eq!(
        SerialNumber.parse(&lines(&["+CGSN: \"867584034229617\""])),
        Ok("867584034229617".to_owned())
    );
    assert!(SerialNumber.parse(&lines(&["not an imei"])).is_err());
    assert_eq!(Model.parse(&[]), Err(ParseError::Missing("+CGMM:")));
    assert_eq!(Imsi.parse(&lines(&["204080123456789"])), Ok("204080123456789".to_owned()));
    assert!(Imsi.parse(&lines(&["20408012345678901"])).is_err());
}

#[test]
fn iccid_answers_from_every_vendor_form() {
    let swapped = "98684003211040213341";
    let plain = "89860430120104123314";
    assert_eq!(normalize_iccid(swapped).as_deref(), Some(plain));
    let cases: &[(IccidQuery, &str)] = &[
        (IccidQuery::Ccid, "89860430120104123314"),
        (IccidQuery::Ccid, "+CCID: \"89860430120104123314\""),
        (IccidQuery::Ciccid, "+ICCID: 89860430120104123314"),
        (IccidQuery::Qccid, "+QCCID: 8986043012010412331F"),
        (IccidQuery::Huawei, "^ICCID: 98684003211040213341"),
        (IccidQuery::RestrictedSimAccess, "+CRSM: 144,0,\"98684003211040213341\""),
    ];
    for &(query, answer) in cases {
        let expected = if answer.ends_with("331F") { "8986043012010412331" } else { plain };
        assert_eq!(query.parse(&lines(&[answer])).as_deref(), Ok(expected), "{answer}");
    }
    assert!(IccidQuery::RestrictedSimAccess.parse(&lines(&["+CRSM: 148,4"])).is_err());
    assert!(IccidQuery::Ccid.parse(&lines(&["12345"])).is_err());
}

#[test]
fn network_answers() {
    let csq = SignalQuality.parse(&lines(&["+CSQ: 21,99"])).expect("csq");
    assert_eq!(csq, Csq { rssi: 21, ber: 99 });
    assert_eq!(csq.dbm(), Some(-71));
    assert_eq!(Csq { rssi: 0, ber: 0 }.dbm(), Some(-113));
    assert_eq!(Csq { rssi: 31, ber: 0 }.dbm(), Some(-51));
    assert_eq!(Csq { rssi: 99, ber: 99 }.dbm(), None);
    assert!(SignalQuality.parse(&lines(&["+CSQ: 300,1"])).is_err());
    assert!(SignalQuality.parse(&lines(&["+CSQ: 12345678901,1"])).is_err());

    let full = Registration {
        mode: Some(2),
        status: RegistrationStatus::Home,
        lac: Some(0xC3),
        ci: Some(0x10AAD1),
        act: Some(AccessTechnology::EUtran),
    };
    let creg = RegistrationQuery(Domain::Cs);
    assert_eq!(creg.parse(&lines(&["+CREG: 2,1,\"00C3\",\"0010AAD1\",7"])), Ok(full));
    // A URC with location that slipped in during the query is skipped.
    let mixed =
        creg.parse(&lines(&["+CREG: 1,\"00C3\",\"0010AAD1\"", "+CREG: 0,5"])).expect("creg");
    assert_eq!((mixed.mode, mixed.status), (Some(0), RegistrationStatus::Roaming));
    let cereg = RegistrationQuery(Domain::Eps).parse(&lines(&["+CEREG: 2,1,,,7"])).expect("cereg");
    assert_eq!((cereg.lac, cereg.ci, cereg.act), (None, None, Some(AccessTechnology::EUtran)));
    assert!(cereg.status.is_registered());
    assert!(!RegistrationStatus::Searching.is_registered());
    assert_eq!(creg.parse(&lines(&["+CGREG: 0,1"])), Err(ParseError::Missing("+CREG:")));

    let cops = OperatorQuery.parse(&lines(&["+COPS: 0,0,\"vodafone NL\",7"])).expect("cops");
    assert_eq!(cops.name.as_deref(), Some("vodafone NL"));
    assert_eq!(cops.act, Some(AccessTechnology::EUtran));
    let cops = OperatorQuery.parse(&lines(&["+COPS: 0"])).expect("cops");
    assert_eq!((cops.mode, cops.format, cops.name), (0, None, None));

    let numbers = OwnNumber
        .parse(&lines(&["+CNUM: ,\"+31612345678\",145", "+CNUM: \"Data\",\"0612345678\",129,,4"]))
        .expect("cnum");
    assert_eq!(numbers.len(), 2);
    assert_eq!((numbers[0].alpha.as_deref(), numbers[0].number.as_str()), (None, "+31612345678"));
    assert_eq!((numbers[1].alpha.as_deref(), numbers[1].number_type), (Some("Data"), Some(129)));
    assert_eq!(OwnNumber.parse(&[]), Ok(vec![]));
    assert_eq!(PinQuery.parse(&lines(&["+CPIN: SIM PIN"])), Ok(PinStatus::SimPin));
}

#[test]
fn sms_configuration_answers() {
    let usage = SetStorage::new(&["SM", "SM", "SM"])
        .expect("cpms")
        .parse(&lines(&["+CPMS: 0,50,0,50,0,50"]));
    assert_eq!(usage.expect("usage").len(), 3);
    let usage = SetStorage::new(&["SM", "SM"])
        .expect("cpms")
        .parse(&lines(&["+CPMS: 0,10,0,10"]))
        .expect("usage");
    assert_eq!((usage.len(), usage[0].total, usage[0].is_full()), (2, 10, false));
    let storages = StorageQuery
        .parse(&lines(&["+CPMS: \"SM\",50,50,\"ME\",1,23,\"SM\",50,50"]))
        .expect("cpms?");
    assert_eq!(storages[0].memory, "SM");
    assert!(storages[0].usage.is_full());
    assert_eq!(storages[1].usage.used, 1);
    assert!(StorageQuery.parse(&lines(&["+CPMS: \"SM\",1"])).is_err());
    let sca = ServiceCentreQuery.parse(&lines(&["+CSCA: \"+32475161616\",145"])).expect("csca");
    assert_eq!((sca.address.as_str(), sca.address_type), ("+32475161616", Some(145)));
    assert_eq!(MessageFormatQuery.parse(&lines(&["+CMGF: 0"])), Ok(MessageFormat::Pdu));
    let csms = SelectService(1).parse(&lines(&["+CSMS: 1,1,0"])).expect("csms");
    assert!(csms.mobile_terminated && csms.mobile_originated && !csms.broadcast);
}

#[test]
fn sms_answers() {
    let send = SendPdu::new(PDU).expect("pdu");
    assert_eq!(send.parse(&lines(&["+CMGS: 249"])).map(|c| c.mr), Ok(249));
    assert_eq!(send.parse(&lines(&["+CMGS: 12,\"24/01/01,12:00:00+04\""])).map(|c| c.mr), Ok(12));
    assert!(send.parse(&lines(&["+CMGS: 256"])).is_err());

    let listing = ListMessages(MessageStatus::All)
        .parse(&lines(&["+CMGL: 0,0,,23", PDU, "+CMGL: 7,1,\"Mum\",23", PDU, "+CMGL: 9,1,23", PDU]))
        .expect("cmgl");
    assert_eq!(
        listing[0],
        CmglEntry {
            index: 0,
            stat: MessageStatus::ReceivedUnread,
            alpha: None,
            length: 23,
            pdu: PDU.to_owned()
        }
    );
    assert_eq!((listing[1].index, listing[1].alpha.as_deref()), (7, Some("Mum")));
    assert_eq!((listing[2].index, listing[2].stat), (9, MessageStatus::ReceivedRead));
    assert!(ListMessages(MessageStatus::All).parse(&lines(&["+CMGL: 0,0,,23"])).is_err());

    let read = ReadMessage(0);
    assert_eq!(read.parse(&[]), Ok(None));
    assert_eq!(read.parse(&lines(&["+CMGR: 0,,0"])), Ok(None));
    assert_eq!(
        read.parse(&lines(&["+CMGR: 1,,23", PDU])),
        Ok(Some(CmgrEntry {
            stat: MessageStatus::ReceivedRead,
            alpha: None,
            length: 23,
            pdu: PDU.to_owned()
        }))
    );

    let texts = ListMessagesText(MessageStatus::All)
        .parse(&lines(&[
            "+CMGL: 1,\"REC READ\",\"+31612345678\",,\"24/01/01,12:00:00+04\"",
            "see you at 8",
        ]))
        .expect("text listing");
    assert_eq!(texts[0].address.as_deref(), Some("+31612345678"));
    assert_eq!(texts[0].alpha, None);
    assert_eq!(texts[0].timestamp.as_deref(), Some("24/01/01,12:00:00+04"));
    assert_eq!(texts[0].text, "see you at 8");
}

#[test]
fn parse_response_reports_failures_by_kind() {
    let response = |outcome| Response {
        id: first_id(),
        command: "AT+CMGS=23".to_owned(),
        lines: vec![],
        outcome,
    };
    let send = SendPdu::new(PDU).expect("pdu");
    let failed =
        response(Outcome::Final(FinalResult::Cms(CmsError::Known(CmsCode::NoNetworkService))));
    assert_eq!(
        send.parse_response(&failed),
        Err(ResponseError::Failed(FinalResult::Cms(CmsError::Known(CmsCode::NoNetworkService))))
    );
    assert_eq!(
        send.parse_response(&response(Outcome::TimedOut { attempts: 1, body_sent: true })),
        Err(ResponseError::TimedOut)
    );
    assert_eq!(
        send.parse_response(&response(Outcome::Final(FinalResult::Ok))),
        Err(ResponseError::Parse(ParseError::Missing("+CMGS:")))
    );
}

/// A real id, taken from an engine, since ids are only made by the engine.
fn first_id() -> CommandId {
    let mut engine = bubblegate_at::Engine::new(Default::default());
    engine.send(Attention.command(retry(1, 1)).expect("at"), crate::support::t0())
}
