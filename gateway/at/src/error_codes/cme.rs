//! `+CME ERROR: <err>`: mobile termination error result code, TS 27.007
//! clause 9.2: general errors (9.2.1), GPRS and EPS related errors (9.2.2)
//! and VBS/VGCS and eMLPP related errors (9.2.3).
//!
//! Codes 102, 104 and 117 come from older releases of the specification
//! (IMSI unknown in HLR/VLR, network failure) and are still sent by modems.

use std::fmt;

use super::ErrorClass;

code_table! {
    /// A `+CME ERROR` code that TS 27.007 names.
    pub enum CmeCode {
        // 9.2.1 General errors.
        0 => PhoneFailure, "phone failure", Temporary;
        1 => NoConnectionToPhone, "no connection to phone", Temporary;
        2 => PhoneAdaptorLinkReserved, "phone-adaptor link reserved", Temporary;
        // Often means "not yet" (SIM not ready, wrong CFUN state).
        3 => OperationNotAllowed, "operation not allowed", Temporary;
        4 => OperationNotSupported, "operation not supported", Permanent;
        5 => PhSimPinRequired, "PH-SIM PIN required", Permanent;
        6 => PhFsimPinRequired, "PH-FSIM PIN required", Permanent;
        7 => PhFsimPukRequired, "PH-FSIM PUK required", Permanent;
        10 => SimNotInserted, "SIM not inserted", Permanent;
        11 => SimPinRequired, "SIM PIN required", Permanent;
        12 => SimPukRequired, "SIM PUK required", Permanent;
        13 => SimFailure, "SIM failure", Permanent;
        14 => SimBusy, "SIM busy", Temporary;
        15 => SimWrong, "SIM wrong", Permanent;
        16 => IncorrectPassword, "incorrect password", Permanent;
        17 => SimPin2Required, "SIM PIN2 required", Permanent;
        18 => SimPuk2Required, "SIM PUK2 required", Permanent;
        20 => MemoryFull, "memory full", Temporary;
        21 => InvalidIndex, "invalid index", Permanent;
        22 => NotFound, "not found", Permanent;
        23 => MemoryFailure, "memory failure", Temporary;
        24 => TextTooLong, "text string too long", Permanent;
        25 => InvalidTextCharacters, "invalid characters in text string", Permanent;
        26 => DialStringTooLong, "dial string too long", Permanent;
        27 => InvalidDialCharacters, "invalid characters in dial string", Permanent;
        30 => NoNetworkService, "no network service", Temporary;
        31 => NetworkTimeout, "network timeout", Temporary;
        32 => EmergencyCallsOnly, "network not allowed - emergency calls only", Temporary;
        40 => NetworkPinRequired, "network personalization PIN required", Permanent;
        41 => NetworkPukRequired, "network personalization PUK required", Permanent;
        42 => NetworkSubsetPinRequired, "network subset personalization PIN required", Permanent;
        43 => NetworkSubsetPukRequired, "network subset personalization PUK required", Permanent;
        44 => ServiceProviderPinRequired, "service provider personalization PIN required", Permanent;
        45 => ServiceProviderPukRequired, "service provider personalization PUK required", Permanent;
        46 => CorporatePinRequired, "corporate personalization PIN required", Permanent;
        47 => CorporatePukRequired, "corporate personalization PUK required", Permanent;
        48 => HiddenKeyRequired, "hidden key required", Permanent;
        49 => EapMethodNotSupported, "EAP method not supported", Permanent;
        50 => IncorrectParameters, "incorrect parameters", Permanent;
        51 => CommandDisabled, "command implemented but currently disabled", Permanent;
        52 => AbortedByUser, "command aborted by user", Temporary;
        53 => NotAttachedFunctionalityRestricted, "not attached to network due to MT functionality restrictions", Temporary;
        54 => ModemEmergencyOnly, "modem not allowed - MT restricted to emergency calls only", Temporary;
        55 => NotAllowedFunctionalityRestricted, "operation not allowed because of MT functionality restrictions", Temporary;
        56 => FixedDialNumberOnly, "fixed dial number only allowed - called number is not a fixed dial number", Permanent;
        57 => OutOfServiceOtherUsage, "temporarily out of service due to other MT usage", Temporary;
        58 => LanguageNotSupported, "language/alphabet not supported", Permanent;
        59 => UnexpectedDataValue, "unexpected data value", Permanent;
        60 => SystemFailure, "system failure", Temporary;
        61 => DataMissing, "data missing", Permanent;
        62 => CallBarred, "call barred", Permanent;
        63 => MessageWaitingSubscriptionFailure, "message waiting indication subscription failure", Permanent;
        100 => Unknown, "unknown", Temporary;
        // 9.2.2.1 Errors related to a failure to perform an attach.
        102 => ImsiUnknownInHlr, "IMSI unknown in HLR", Permanent;
        103 => IllegalMs, "Illegal MS", Permanent;
        104 => ImsiUnknownInVlr, "IMSI unknown in VLR", Temporary;
        106 => IllegalMe, "Illegal ME", Permanent;
        107 => GprsNotAllowed, "GPRS services not allowed", Permanent;
        108 => GprsAndNonGprsNotAllowed, "GPRS services and non-GPRS services not allowed", Permanent;
        111 => PlmnNotAllowed, "PLMN not allowed", Permanent;
        112 => LocationAreaNotAllowed, "Location area not allowed", Permanent;
        113 => RoamingNotAllowed, "Roaming not allowed in this location area", Permanent;
        114 => GprsNotAllowedInPlmn, "GPRS services not allowed in this PLMN", Permanent;
        115 => NoSuitableCells, "No Suitable Cells In Location Area", Temporary;
        117 => NetworkFailure, "Network failure", Temporary;
        122 => Congestion, "Congestion", Temporary;
        125 => NotAuthorizedForCsg, "Not authorized for this CSG", Permanent;
        172 => SemanticallyIncorrectMessage, "Semantically incorrect message", Permanent;
        173 => MandatoryIeError, "Mandatory information element error", Permanent;
        174 => IeNonExistent, "Information element non-existent or not implemented", Permanent;
        175 => ConditionalIeError, "Conditional IE error", Permanent;
        176 => ProtocolError, "Protocol error, unspecified", Temporary;
        // 9.2.2.2 Errors related to a failure to activate a context.
        126 => InsufficientResources, "insufficient resources", Temporary;
        127 => MissingOrUnknownApn, "missing or unknown APN", Permanent;
        128 => UnknownPdpAddressOrType, "unknown PDP address or PDP type", Permanent;
        129 => UserAuthenticationFailed, "user authentication failed", Permanent;
        130 => RejectedByGateway, "activation rejected by GGSN, Serving GW or PDN GW", Temporary;
        131 => ActivationRejected, "activation rejected, unspecified", Temporary;
        132 => ServiceOptionNotSupported, "service option not supported", Permanent;
        133 => ServiceOptionNotSubscribed, "requested service option not subscribed", Permanent;
        134 => ServiceOptionOutOfOrder, "service option temporarily out of order", Temporary;
        140 => FeatureNotSupported, "feature not supported", Permanent;
        141 => TftSemanticError, "semantic error in the TFT operation", Permanent;
        142 => TftSyntaxError, "syntactical error in the TFT operation", Permanent;
        143 => UnknownPdpContext, "unknown PDP context", Permanent;
        144 => PacketFilterSemanticError, "semantic errors in packet filter(s)", Permanent;
        145 => PacketFilterSyntaxError, "syntactical errors in packet filter(s)", Permanent;
        146 => ContextWithoutTftActive, "PDP context without TFT already activated", Permanent;
        177 => GprsOperatorDeterminedBarring, "operator determined barring", Permanent;
        178 => MaxPdpContextsReached, "maximum number of PDP contexts reached", Temporary;
        179 => ApnNotSupportedInRatPlmn, "requested APN not supported in current RAT and PLMN combination", Permanent;
        180 => BearerControlModeViolation, "request rejected, Bearer Control Mode violation", Permanent;
        181 => UnsupportedQci, "unsupported QCI value", Permanent;
        // 9.2.2.4 Other GPRS errors.
        148 => UnspecifiedGprsError, "unspecified GPRS error", Temporary;
        149 => PdpAuthenticationFailure, "PDP authentication failure", Permanent;
        150 => InvalidMobileClass, "invalid mobile class", Permanent;
        171 => LastPdnDisconnectionNotAllowed, "Last PDN disconnection not allowed", Permanent;
        182 => ControlPlaneCongested, "user data transmission via control plane is congested", Temporary;
        // 9.2.3 VBS / VGCS and eMLPP related errors.
        151 => VbsVgcsNotSupported, "VBS/VGCS not supported by the network", Permanent;
        152 => NoServiceSubscriptionOnSim, "No service subscription on SIM", Permanent;
        153 => NoGroupIdSubscription, "No subscription for group ID", Permanent;
        154 => GroupIdNotActivated, "Group Id not activated on SIM", Permanent;
        155 => NoMatchingNotification, "No matching notification", Permanent;
        156 => VbsVgcsCallPresent, "VBS/VGCS call already present", Temporary;
        157 => VgcsCongestion, "Congestion", Temporary;
        158 => VgcsNetworkFailure, "Network failure", Temporary;
        159 => UplinkBusy, "Uplink busy", Temporary;
        160 => NoSimFileAccessRights, "No access rights for SIM file", Permanent;
        161 => NoPrioritySubscription, "No subscription for priority", Permanent;
        162 => OperationNotApplicable, "operation not applicable or not possible", Permanent;
        163 => GroupIdPrefixesNotSupported, "Group Id prefixes not supported", Permanent;
        164 => GroupIdPrefixesNotUsable, "Group Id prefixes not usable for VBS", Permanent;
        165 => GroupIdPrefixInvalid, "Group Id prefix value invalid", Permanent;
    }
}

/// The parameter of a `+CME ERROR` final result code.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum CmeError {
    /// A code TS 27.007 names, given as a number or as its verbose text.
    Known(CmeCode),
    /// A number TS 27.007 does not name (manufacturer specific, typically).
    Unnamed(u16),
    /// Verbose text the table does not know.
    Text(String),
}

impl CmeError {
    /// Parses the text after `+CME ERROR:`.
    pub fn parse(param: &str) -> Self {
        let param = param.trim();
        if let Ok(code) = param.parse::<u16>() {
            return CmeCode::from_code(code).map_or(CmeError::Unnamed(code), CmeError::Known);
        }
        CmeCode::from_text(param).map_or_else(|| CmeError::Text(param.to_owned()), CmeError::Known)
    }

    /// The numeric code, if known.
    pub fn code(&self) -> Option<u16> {
        match self {
            CmeError::Known(c) => Some(c.code()),
            CmeError::Unnamed(n) => Some(*n),
            CmeError::Text(_) => None,
        }
    }

    /// A human-readable name for every possible value.
    pub fn name(&self) -> &str {
        match self {
            CmeError::Known(c) => c.name(),
            CmeError::Unnamed(_) => "manufacturer specific",
            CmeError::Text(t) => t,
        }
    }

    /// Whether retrying can help; unnamed values are temporary.
    pub fn class(&self) -> ErrorClass {
        match self {
            CmeError::Known(c) => c.class(),
            CmeError::Unnamed(_) | CmeError::Text(_) => ErrorClass::Temporary,
        }
    }
}

impl fmt::Display for CmeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.code() {
            Some(code) => write!(f, "+CME ERROR {code} ({})", self.name()),
            None => write!(f, "+CME ERROR ({})", self.name()),
        }
    }
}
