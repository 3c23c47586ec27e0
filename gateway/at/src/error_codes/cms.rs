//! `+CMS ERROR: <err>`: message service failure result code, TS 27.005
//! clause 3.2.5.
//!
//! Values 0 to 127 are RP-causes from TS 24.011 annex E.2 (table 8.4), 128 to
//! 255 are TP-Failure-Cause values from TS 23.040 clause 9.2.3.22, 300 to 500
//! are 27.005's own, 256 to 511 are otherwise reserved, and 512 upwards are
//! manufacturer specific.

use std::fmt;

use super::ErrorClass;

code_table! {
    /// A `+CMS ERROR` code that TS 27.005 names, directly or by reference.
    pub enum CmsCode {
        // TS 24.011 annex E.2, RP-cause values.
        1 => UnassignedNumber, "Unassigned (unallocated) number", Permanent;
        8 => OperatorDeterminedBarring, "Operator determined barring", Permanent;
        10 => CallBarred, "Call barred", Permanent;
        17 => NetworkFailure, "Network failure", Temporary;
        21 => TransferRejected, "Short message transfer rejected", Permanent;
        22 => MemoryCapacityExceeded, "Memory capacity exceeded", Temporary;
        27 => DestinationOutOfOrder, "Destination out of order", Temporary;
        28 => UnidentifiedSubscriber, "Unidentified subscriber", Permanent;
        29 => FacilityRejected, "Facility rejected", Permanent;
        30 => UnknownSubscriber, "Unknown subscriber", Permanent;
        38 => NetworkOutOfOrder, "Network out of order", Temporary;
        41 => TemporaryFailure, "Temporary failure", Temporary;
        42 => Congestion, "Congestion", Temporary;
        47 => ResourcesUnavailable, "Resources unavailable, unspecified", Temporary;
        50 => FacilityNotSubscribed, "Requested facility not subscribed", Permanent;
        69 => FacilityNotImplemented, "Requested facility not implemented", Permanent;
        81 => InvalidTransferReference, "Invalid short message transfer reference value", Temporary;
        95 => SemanticallyIncorrectMessage, "Semantically incorrect message", Permanent;
        96 => InvalidMandatoryInformation, "Invalid mandatory information", Permanent;
        97 => MessageTypeNonExistent, "Message type non-existent or not implemented", Permanent;
        98 => MessageNotCompatible, "Message not compatible with short message protocol state", Temporary;
        99 => InformationElementNonExistent, "Information element non-existent or not implemented", Permanent;
        111 => ProtocolError, "Protocol error, unspecified", Temporary;
        127 => Interworking, "Interworking, unspecified", Temporary;
        // TS 23.040 clause 9.2.3.22, TP-Failure-Cause values.
        128 => TelematicInterworkingNotSupported, "Telematic interworking not supported", Permanent;
        129 => ShortMessageType0NotSupported, "Short message Type 0 not supported", Permanent;
        130 => CannotReplaceShortMessage, "Cannot replace short message", Permanent;
        143 => UnspecifiedPidError, "Unspecified TP-PID error", Permanent;
        144 => DataCodingSchemeNotSupported, "Data coding scheme (alphabet) not supported", Permanent;
        145 => MessageClassNotSupported, "Message class not supported", Permanent;
        159 => UnspecifiedDcsError, "Unspecified TP-DCS error", Permanent;
        160 => CommandCannotBeActioned, "Command cannot be actioned", Permanent;
        161 => CommandUnsupported, "Command unsupported", Permanent;
        175 => UnspecifiedCommandError, "Unspecified TP-Command error", Permanent;
        176 => TpduNotSupported, "TPDU not supported", Permanent;
        192 => ScBusy, "SC busy", Temporary;
        193 => NoScSubscription, "No SC subscription", Permanent;
        194 => ScSystemFailure, "SC system failure", Temporary;
        195 => InvalidSmeAddress, "Invalid SME address", Permanent;
        196 => DestinationSmeBarred, "Destination SME barred", Permanent;
        197 => DuplicateRejected, "SM Rejected-Duplicate SM", Permanent;
        198 => VpfNotSupported, "TP-VPF not supported", Permanent;
        199 => VpNotSupported, "TP-VP not supported", Permanent;
        208 => SimStorageFull, "(U)SIM SMS storage full", Temporary;
        209 => NoSimStorage, "No SMS storage capability in (U)SIM", Permanent;
        210 => ErrorInMs, "Error in MS", Temporary;
        211 => MsMemoryCapacityExceeded, "Memory Capacity Exceeded", Temporary;
        212 => SimToolkitBusy, "(U)SIM Application Toolkit Busy", Temporary;
        213 => SimDataDownloadError, "(U)SIM data download error", Temporary;
        255 => UnspecifiedCause, "Unspecified error cause", Temporary;
        // TS 27.005 clause 3.2.5.
        300 => MeFailure, "ME failure", Temporary;
        301 => ServiceReserved, "SMS service of ME reserved", Temporary;
        // SIM800 answers 302 until it has printed "SMS Ready", so it is not
        // a verdict on the request.
        302 => OperationNotAllowed, "operation not allowed", Temporary;
        303 => OperationNotSupported, "operation not supported", Permanent;
        304 => InvalidPduParameter, "invalid PDU mode parameter", Permanent;
        305 => InvalidTextParameter, "invalid text mode parameter", Permanent;
        310 => SimNotInserted, "(U)SIM not inserted", Permanent;
        311 => SimPinRequired, "(U)SIM PIN required", Permanent;
        312 => PhSimPinRequired, "PH-(U)SIM PIN required", Permanent;
        313 => SimFailure, "(U)SIM failure", Permanent;
        314 => SimBusy, "(U)SIM busy", Temporary;
        315 => SimWrong, "(U)SIM wrong", Permanent;
        316 => SimPukRequired, "(U)SIM PUK required", Permanent;
        317 => SimPin2Required, "(U)SIM PIN2 required", Permanent;
        318 => SimPuk2Required, "(U)SIM PUK2 required", Permanent;
        320 => MemoryFailure, "memory failure", Temporary;
        321 => InvalidMemoryIndex, "invalid memory index", Permanent;
        // Full storage empties again once messages are read and deleted.
        322 => MemoryFull, "memory full", Temporary;
        330 => SmscAddressUnknown, "SMSC address unknown", Permanent;
        331 => NoNetworkService, "no network service", Temporary;
        332 => NetworkTimeout, "network timeout", Temporary;
        340 => NoCnmaExpected, "no +CNMA acknowledgement expected", Permanent;
        500 => Unknown, "unknown error", Temporary;
    }
}

/// The parameter of a `+CMS ERROR` final result code.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum CmsError {
    /// A code the tables name, given as a number or as its verbose text.
    Known(CmsCode),
    /// A number the tables do not name: unassigned, reserved or
    /// manufacturer specific.
    Unnamed(u16),
    /// Verbose text the tables do not know.
    Text(String),
}

impl CmsError {
    /// Parses the text after `+CMS ERROR:`.
    pub fn parse(param: &str) -> Self {
        let param = param.trim();
        if let Ok(code) = param.parse::<u16>() {
            return CmsCode::from_code(code).map_or(CmsError::Unnamed(code), CmsError::Known);
        }
        CmsCode::from_text(param).map_or_else(|| CmsError::Text(param.to_owned()), CmsError::Known)
    }

    /// The numeric code, if known.
    pub fn code(&self) -> Option<u16> {
        match self {
            CmsError::Known(c) => Some(c.code()),
            CmsError::Unnamed(n) => Some(*n),
            CmsError::Text(_) => None,
        }
    }

    /// A human-readable name for every possible value.
    pub fn name(&self) -> &str {
        match self {
            CmsError::Known(c) => c.name(),
            CmsError::Unnamed(n) => unnamed_name(*n),
            CmsError::Text(t) => t,
        }
    }

    /// Whether retrying can help; see the module documentation for why
    /// unnamed values are temporary.
    pub fn class(&self) -> ErrorClass {
        match self {
            CmsError::Known(c) => c.class(),
            CmsError::Unnamed(_) | CmsError::Text(_) => ErrorClass::Temporary,
        }
    }
}

fn unnamed_name(code: u16) -> &'static str {
    match code {
        0..=127 => "unassigned RP-cause",
        224..=254 => "TP-FCS value specific to an application",
        128..=255 => "reserved TP-FCS value",
        256..=511 => "reserved",
        _ => "manufacturer specific",
    }
}

impl fmt::Display for CmsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.code() {
            Some(code) => write!(f, "+CMS ERROR {code} ({})", self.name()),
            None => write!(f, "+CMS ERROR ({})", self.name()),
        }
    }
}
