#!/usr/bin/python3
"""A thin batch bridge to python-gammu, for the cross-check in
tests/it/gammu_pdu.rs. Run it with Debian's /usr/bin/python3: that is the
interpreter python3-gammu is installed for.

    pdu.py decode   stdin: one hex PDU per line, SMSC field first.
                    stdout: per line, gammu.DecodePDU's reading as JSON:
                    {"number", "smsc", "text", "length", "coding", "class",
                     "validity", "mr", "type",
                     "udh": {"type", "id8", "id16", "part", "all"}}

    pdu.py encode   stdin: one JSON request per line:
                    {"number", "smsc", "text", "unicode", "wide", "class",
                     "srr", "validity", "mr"}
                    ("class" -1 for none, "validity" a TP-VP relative code).
                    stdout: per line, {"parts": [{"pdu", "text", "udh"}]}:
                    the SMS-SUBMITs that gammu.EncodeSMS and gammu.EncodePDU
                    make of it, with the text and UDH gammu meant each to carry.

Every input line gives exactly one output line, so that the caller can pair
them; a gammu failure gives {"error": "..."} for that line. All the judging
is done by the Rust side.
"""

import json
import sys

import gammu


def udh_json(udh):
    return {
        "type": udh["Type"],
        "id8": udh["ID8bit"],
        "id16": udh["ID16bit"],
        "part": udh["PartNumber"],
        "all": udh["AllParts"],
    }


def decode(line):
    sms = gammu.DecodePDU(bytes.fromhex(line), SMSC=True)
    text = sms["Text"]
    if sms["Coding"] == "Default_No_Compression":
        # python-gammu builds Text from libgammu's Length, which for GSM 7-bit
        # is the septet count (GSM_DecodePDUFrame), not the character count:
        # each escape sequence leaves one character too many at the end, the
        # string's NUL terminator and then whatever the buffer held. No GSM
        # character decodes to U+0000 ('@' is 0x00 but becomes U+0040), so
        # the text ends at the first NUL.
        text = text.split("\x00", 1)[0]
    return {
        "number": sms["Number"],
        "smsc": sms["SMSC"]["Number"],
        "text": text,
        "length": sms["Length"],
        "coding": sms["Coding"],
        "class": sms["Class"],
        "validity": sms["SMSC"]["Validity"],
        "mr": sms["MessageReference"],
        "type": sms["Type"],
        "udh": udh_json(sms["UDH"]),
    }


def validity_string(code):
    """The string python-gammu's StringToSMSValidity turns back into the
    relative TP-VP `code` (TS 23.040 clause 9.2.3.12.1)."""
    if code == 255:
        return "Max"
    if code <= 143:
        return "%dM" % (5 * (code + 1))
    if code <= 167:
        return "%dM" % (12 * 60 + 30 * (code - 143))
    if code <= 196:
        return "%dD" % (code - 166)
    # StringToSMSValidity maps "<n>W" (and days, hours or minutes beyond 30
    # days) to code n + 166 rather than n + 192, so no string gives 197-254.
    raise ValueError("python-gammu cannot express relative validity %d" % code)


def encode(line):
    req = json.loads(line)
    entry = "ConcatenatedTextLong16bit" if req["wide"] else "ConcatenatedTextLong"
    messages = gammu.EncodeSMS(
        {
            "Class": req["class"],
            "Unicode": req["unicode"],
            "Entries": [{"ID": entry, "Buffer": req["text"]}],
        }
    )
    parts = []
    for sms in messages:
        sms["Number"] = req["number"]
        sms["SMSC"] = {
            "Location": 0,
            "Number": req["smsc"],
            "Format": "Text",
            "Validity": validity_string(req["validity"]),
            "DefaultNumber": "",
        }
        sms["MessageReference"] = req["mr"]
        # libgammu sets TP-SRR on a SUBMIT when the message type says
        # "status report" (GSM_EncodeSMSFrame).
        sms["Type"] = "Status_Report" if req["srr"] else "Submit"
        pdu = gammu.EncodePDU(sms, "Submit")
        parts.append({"pdu": pdu.hex(), "text": sms["Text"], "udh": udh_json(sms["UDH"])})
    return {"parts": parts}


def main():
    modes = {"decode": decode, "encode": encode}
    if len(sys.argv) != 2 or sys.argv[1] not in modes:
        sys.exit("usage: pdu.py decode|encode < requests > results")
    handle = modes[sys.argv[1]]
    for line in sys.stdin:
        line = line.strip()
        try:
            result = handle(line)
        except Exception as e:  # one bad line must not end the batch
            result = {"error": "%s: %s" % (type(e).__name__, e)}
        sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
