//! `GET /deregister`: the public page for taking a number off the
//! network, as the seeds describe: enter the number, get a code by SMS,
//! enter the code. Plain HTML, a little vanilla JavaScript calling
//! `POST /v1/deregister/request` and `/confirm`, no external assets. A
//! strict Content-Security-Policy allows only this page's own script (by
//! its hash) and calls to this origin.

use std::sync::LazyLock;

use axum::http::{header, HeaderName, HeaderValue};
use axum::response::IntoResponse;
use base64::Engine as _;
use sha2::{Digest, Sha256};

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;\
padding:0 1rem;line-height:1.5;color:#222}label{display:block;margin-top:1rem}\
input{font-size:1.1rem;padding:.4rem;width:100%;box-sizing:border-box}\
button{margin-top:1rem;font-size:1rem;padding:.5rem 1rem}#status{margin-top:1.5rem;min-height:3rem}\
.error{color:#a00}.ok{color:#070}[hidden]{display:none}";

const SCRIPT: &str = r#"
const $ = (id) => document.getElementById(id);
function say(text, ok) {
  const s = $("status");
  s.textContent = text;
  s.className = ok ? "ok" : "error";
}
async function call(path, body) {
  const r = await fetch(path, {
    method: "POST",
    headers: {"content-type": "application/json"},
    body: JSON.stringify(body),
  });
  let data = {};
  try { data = await r.json(); } catch (e) {}
  if (!r.ok) {
    let text = (data.error && data.error.message) || ("the server answered " + r.status);
    const wait = r.headers.get("retry-after");
    if (wait) { text += " (try again in " + wait + " s)"; }
    throw new Error(text);
  }
  return data;
}
$("request").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  say("Sending a code…", true);
  try {
    await call("/v1/deregister/request", {phone: $("phone").value});
    $("confirm").hidden = false;
    $("code").focus();
    say("If this number is registered, a code is on its way by SMS.", true);
  } catch (e) { say(e.message, false); }
});
$("confirm").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  try {
    const data = await call("/v1/deregister/confirm",
      {phone: $("phone").value, code: $("code").value.trim()});
    say("Done: " + data.revoked_devices + " device(s) removed. Messages to this number now arrive as SMS.", true);
    $("confirm").hidden = true;
  } catch (e) { say(e.message, false); }
});
"#;

static PAGE: LazyLock<String> = LazyLock::new(|| {
    format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Deregister a phone number</title>
<style>{STYLE}</style>
</head>
<body>
<h1>Deregister a phone number</h1>
<p>If you left the encrypted network and messages to your number no longer
arrive as text messages, take the number off here. Every device registered
with it is removed, and messages to it are sent as SMS again.</p>
<form id="request">
<label for="phone">Phone number, with country code</label>
<input id="phone" name="phone" type="tel" autocomplete="tel" placeholder="+31 6 12345678" required>
<button type="submit">Send code</button>
</form>
<form id="confirm" hidden>
<label for="code">The 6-digit code from the text message</label>
<input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{{6}}" maxlength="6" required>
<button type="submit">Deregister</button>
</form>
<p id="status" role="status" aria-live="polite"></p>
<script>{SCRIPT}</script>
</body>
</html>
"#
    )
});

static POLICY: LazyLock<HeaderValue> = LazyLock::new(|| {
    let digest = Sha256::digest(SCRIPT.as_bytes());
    let hash = base64_std(&digest);
    let style = base64_std(&Sha256::digest(STYLE.as_bytes()));
    let text = format!(
        "default-src 'none'; script-src 'sha256-{hash}'; style-src 'sha256-{style}'; \
         connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'"
    );
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static("default-src 'none'"))
});

/// Standard base64 with padding, as CSP hashes are written.
fn base64_std(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

pub(crate) async fn deregister_page() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8")),
            (header::CONTENT_SECURITY_POLICY, POLICY.clone()),
            (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
            (HeaderName::from_static("referrer-policy"), HeaderValue::from_static("no-referrer")),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        PAGE.as_str(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csp_hashes_use_standard_base64() {
        assert_eq!(base64_std(b""), "");
        assert_eq!(base64_std(b"f"), "Zg==");
        assert_eq!(base64_std(b"fo"), "Zm8=");
        assert_eq!(base64_std(b"foo"), "Zm9v");
        assert_eq!(base64_std(&[0xfb, 0xff]), "+/8=");
    }

    #[test]
    fn the_page_calls_both_endpoints_and_loads_nothing_else() {
        assert!(PAGE.contains("/v1/deregister/request"));
        assert!(PAGE.contains("/v1/deregister/confirm"));
        assert!(!PAGE.contains("http://") && !PAGE.contains("https://"));
        assert!(!PAGE.contains("src=") && !PAGE.contains("href="));
        let policy = POLICY.to_str().unwrap();
        assert!(policy.contains("script-src 'sha256-"), "{policy}");
    }
}
