//! Turning a text into the SMS-SUBMIT parts the outbox stores: the
//! cheapest coding (bubblegate-sms's segmentation, billed as operators
//! bill), one concatenation reference per message from a per-destination
//! counter, the status-report request and the validity period. The parts
//! are encoded once, at enqueue; a retry sends the very same bytes.

use std::sync::Mutex;
use std::time::Duration;

use bubblegate_sms::segment::{plan_text, ReferenceCounter, SegmentOptions};
use bubblegate_sms::{Address, Coding, Dcs, Pdu, Submit, Tpdu, UserData, Validity};
use bubblegate_store::NewPart;
use thiserror::Error;

/// The most parts one message may take.
pub const MAX_PARTS: usize = 255;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ComposeError {
    #[error("the destination cannot be encoded: {0}")]
    Destination(String),
    #[error("the text cannot be encoded: {0}")]
    Text(String),
    #[error("the text needs {0} parts; at most {MAX_PARTS} are allowed")]
    TooLong(usize),
}

/// The encoded parts of one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Composed {
    pub coding: Coding,
    pub parts: Vec<NewPart>,
}

/// Encodes messages; holds the concatenation reference counter.
#[derive(Debug)]
pub struct Composer {
    references: Mutex<ReferenceCounter>,
}

impl Default for Composer {
    fn default() -> Self {
        Composer { references: Mutex::new(ReferenceCounter::new(false)) }
    }
}

impl Composer {
    /// Splits and encodes `text` for `to` (E.164).
    pub fn compose(
        &self,
        to: &str,
        text: &str,
        delivery_report: bool,
        validity: Option<Duration>,
    ) -> Result<Composed, ComposeError> {
        let destination =
            Address::phone(to).map_err(|e| ComposeError::Destination(e.to_string()))?;
        let plan = plan_text(text, &SegmentOptions::default())
            .map_err(|e| ComposeError::Text(e.to_string()))?;
        if plan.count() > MAX_PARTS {
            return Err(ComposeError::TooLong(plan.count()));
        }
        let reference = if plan.count() > 1 {
            let mut counter = self.references.lock().unwrap_or_else(|p| p.into_inner());
            counter.next(&destination)
        } else {
            0
        };
        let template = Submit {
            reject_duplicates: false,
            status_report_request: delivery_report,
            reply_path: false,
            message_ref: 0,
            destination,
            pid: 0,
            dcs: Dcs::new(plan.coding, None),
            validity: validity.map(|v| Validity::relative_at_least(v.as_secs().max(300))),
            user_data: UserData::text(""),
        };
        let parts = plan
            .submits(&template, reference)
            .into_iter()
            .map(|submit| {
                let encoded = Pdu { smsc: None, tpdu: Tpdu::Submit(submit) }
                    .encode()
                    .map_err(|e| ComposeError::Text(e.to_string()))?;
                // The store keeps the TPDU alone: drop the SMSC field.
                let start = encoded.bytes.len() - encoded.tpdu_length;
                Ok(NewPart {
                    pdu_hex: bubblegate_sms::hex::encode(&encoded.bytes[start..]),
                    tpdu_length: u16::try_from(encoded.tpdu_length)
                        .map_err(|_| ComposeError::Text("part too long".into()))?,
                })
            })
            .collect::<Result<Vec<_>, ComposeError>>()?;
        Ok(Composed { coding: plan.coding, parts })
    }
}

/// Decodes a stored part back into the SUBMIT the modem driver sends.
pub fn stored_submit(pdu_hex: &str) -> Result<Submit, String> {
    match Pdu::decode_hex(pdu_hex, false) {
        Ok(Pdu { tpdu: Tpdu::Submit(submit), .. }) => Ok(submit),
        Ok(_) => Err("the stored part is not an SMS-SUBMIT".to_owned()),
        Err(err) => Err(format!("the stored part does not decode: {err}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_become_parts_that_decode_again() {
        let composer = Composer::default();
        let single = composer.compose("+31612345678", "hi", true, None).unwrap();
        assert_eq!(single.parts.len(), 1);
        assert_eq!(single.coding, Coding::Gsm7);
        let submit = stored_submit(&single.parts[0].pdu_hex).unwrap();
        assert!(submit.status_report_request);
        assert_eq!(submit.user_data.udh, None);

        let long = "x".repeat(400);
        let multi = composer.compose("+31612345678", &long, false, Some(Duration::from_secs(3600)));
        let multi = multi.unwrap();
        assert_eq!(multi.parts.len(), 3);
        let refs: Vec<_> = multi
            .parts
            .iter()
            .map(|p| stored_submit(&p.pdu_hex).unwrap().user_data.udh.unwrap().concat().unwrap())
            .collect();
        assert!(refs.iter().all(|c| c.reference == refs[0].reference && c.total == 3));
        assert_eq!(refs.iter().map(|c| c.seq).collect::<Vec<_>>(), [1, 2, 3]);
        assert_eq!(
            multi.parts[0].tpdu_length as usize * 2,
            multi.parts[0].pdu_hex.len(),
            "the length is the TPDU's"
        );

        let ucs2 = composer.compose("+31612345678", "Привет", false, None).unwrap();
        assert_eq!(ucs2.coding, Coding::Ucs2);
        assert!(composer.compose("+31 not a number", "hi", false, None).is_err());
    }
}
