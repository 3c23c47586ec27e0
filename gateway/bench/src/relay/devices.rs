//! The devices: registered as a person registers one (a code by SMS, read
//! off the simulated network), each with its state file in the run's
//! directory; then one listener task per device on the WebSocket, which
//! acks what it receives and reports it on a channel ([`Inbox`]), and one
//! sending [`Device`] per handle, opened on the same state file (a
//! [`bubblegate_client::Listener`] holds its device).

use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context};
use bubblegate_client::proto::wire::Route;
use bubblegate_client::proto::Content;
use bubblegate_client::{Device, DeviceError, Incoming, SmsChoice};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinSet;

use crate::rig::Network;

/// The longest one request of a device may take.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(30);
/// The longest a code SMS may take to reach the simulated network.
const CODE_WAIT: Duration = Duration::from_secs(60);
/// How often the simulated network is asked for a code.
const CODE_POLL: Duration = Duration::from_millis(100);
/// Registrations at once (the codes share one simulated modem).
const REGISTER_CONCURRENCY: usize = 10;
/// Devices that fill their directory at once.
const WARM_CONCURRENCY: usize = 10;
/// The longest a closing listener may take.
const CLOSE_WAIT: Duration = Duration::from_secs(5);

/// Device `i`'s number: a valid Dutch mobile number, +31 6 1xxxxxxx.
pub fn phone(i: usize) -> String {
    format!("+3161{:07}", i % 10_000_000)
}

/// Registers `n` devices, [`REGISTER_CONCURRENCY`] at a time, with state
/// files `dir/device-0000.json`, ...; returns them in order.
pub async fn register_all(network: &Network, dir: &Path, n: usize) -> anyhow::Result<Vec<Device>> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let started = Instant::now();
    let mut devices: Vec<Option<Device>> = (0..n).map(|_| None).collect();
    let mut queue = 0..n;
    let mut set = JoinSet::new();
    let mut done = 0;
    loop {
        while set.len() < REGISTER_CONCURRENCY {
            let Some(i) = queue.next() else { break };
            let (network, dir) = (network.clone(), dir.to_owned());
            set.spawn(async move {
                let result = register_one(&network, &dir, i).await;
                (i, result.with_context(|| format!("registering {}", phone(i))))
            });
        }
        let Some(joined) = set.join_next().await else { break };
        let (i, device) = joined.map_err(|e| anyhow!("a registration task failed: {e}"))?;
        devices[i] = Some(device?);
        done += 1;
        if done % 10 == 0 || done == n {
            eprintln!(
                "  registered {done}/{n} device(s) ({:.1} s)",
                started.elapsed().as_secs_f64()
            );
        }
    }
    all_back(devices)
}

/// The devices that tasks handed back, in order; an error if one is not.
fn all_back(slots: Vec<Option<Device>>) -> anyhow::Result<Vec<Device>> {
    slots
        .into_iter()
        .map(|d| d.ok_or_else(|| anyhow!("a device task gave no device back")))
        .collect()
}

async fn register_one(network: &Network, dir: &Path, i: usize) -> anyhow::Result<Device> {
    let number = phone(i);
    let path = dir.join(format!("device-{i:04}.json"));
    let mut device = Device::open(&path, Some(&network.hub), CALL_TIMEOUT)?;
    let before = network.sms_to(&number).await?.len();
    match device.register(&number).await {
        Ok(_) => {}
        Err(DeviceError::Hub(e)) if e.status == 404 => bail!(
            "the daemon has no hub: POST /v1/register/request answered 404 ({}); \
             build a `bubblegate` with the encrypted network",
            e.message
        ),
        Err(e) => return Err(e.into()),
    }
    let deadline = Instant::now() + CODE_WAIT;
    let code = loop {
        let texts = network.sms_to(&number).await?;
        if let Some(code) = texts.get(before).and_then(|t| six_digits(t)) {
            break code;
        }
        if Instant::now() >= deadline {
            bail!("no code SMS to {number} within {CODE_WAIT:?}\n{}", network.daemon_log_tail());
        }
        tokio::time::sleep(CODE_POLL).await;
    };
    device.verify(&code, &format!("bench-{i:04}")).await?;
    Ok(device)
}

/// The first run of exactly six digits in `text`.
fn six_digits(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if i - start == 6 {
            return Some(text[start..i].to_owned());
        }
        i = i.max(start + 1);
    }
    None
}

/// Each device looks up every other handle, so that a receiver has the
/// sender's signing key at hand, as a phone has its contacts'. Without
/// this, the first envelope from each sender would cost the receiver a
/// directory round trip before it opens. Returns the look-ups made.
pub async fn warm_directories(
    devices: Vec<Device>,
    handles: &[String],
) -> anyhow::Result<(Vec<Device>, usize)> {
    let n = devices.len();
    let started = Instant::now();
    let mut out: Vec<Option<Device>> = (0..n).map(|_| None).collect();
    let mut queue = devices.into_iter().enumerate();
    let mut set = JoinSet::new();
    let mut done = 0;
    loop {
        while set.len() < WARM_CONCURRENCY {
            let Some((i, mut device)) = queue.next() else { break };
            let others: Vec<String> = handles
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, h)| h.clone())
                .collect();
            set.spawn(async move {
                for handle in &others {
                    match device.directory(handle).await {
                        Ok(Some(_)) => {}
                        Ok(None) => return Err(anyhow!("the directory has no device of {handle}")),
                        Err(e) => return Err(anyhow!("device {i} looking up {handle}: {e}")),
                    }
                }
                Ok((i, device))
            });
        }
        let Some(joined) = set.join_next().await else { break };
        let (i, device) = joined.map_err(|e| anyhow!("a look-up task failed: {e}"))??;
        out[i] = Some(device);
        done += 1;
        if done % 20 == 0 || done == n {
            eprintln!(
                "  {done}/{n} device(s) looked up the others ({:.1} s)",
                started.elapsed().as_secs_f64()
            );
        }
    }
    Ok((all_back(out)?, n * n.saturating_sub(1)))
}

/// What the listener tasks report.
#[derive(Debug)]
pub enum Event {
    /// The stream is open.
    Connected,
    /// An envelope passed every check and opened; `at` is taken as the
    /// listener yields it, before the ack.
    Receipt { device: usize, client_message_id: String, at: Instant },
    /// An envelope failed a check (the listener acked it).
    Rejected { device: usize, reason: String },
    /// The stream ended or failed: the run cannot go on.
    Failed { device: usize, error: String },
}

/// The listeners: their tasks, and the channel they report on.
pub struct Listeners {
    tasks: JoinSet<()>,
    stop: watch::Sender<bool>,
}

/// Opens each device's stream in a task of its own.
pub fn spawn_listeners(devices: Vec<Device>) -> (Listeners, Inbox) {
    let (tx, rx) = mpsc::unbounded_channel();
    let (stop, stopped) = watch::channel(false);
    let mut tasks = JoinSet::new();
    for (i, device) in devices.into_iter().enumerate() {
        tasks.spawn(listen(i, device, tx.clone(), stopped.clone()));
    }
    (Listeners { tasks, stop }, Inbox::new(rx))
}

impl Listeners {
    /// Tells every listener to close its stream, and waits a bounded time.
    pub async fn stop(mut self) {
        let _ = self.stop.send(true);
        let all = async { while self.tasks.join_next().await.is_some() {} };
        if tokio::time::timeout(CLOSE_WAIT * 2, all).await.is_err() {
            self.tasks.abort_all();
        }
    }
}

async fn listen(
    index: usize,
    mut device: Device,
    events: mpsc::UnboundedSender<Event>,
    mut stop: watch::Receiver<bool>,
) {
    let fail = |error: String| {
        let _ = events.send(Event::Failed { device: index, error });
    };
    let mut listener = match device.listen().await {
        Ok(listener) => listener,
        Err(e) => return fail(format!("cannot open the stream: {e}")),
    };
    let _ = events.send(Event::Connected);
    loop {
        let next = tokio::select! {
            _ = stop.changed() => break,
            next = listener.next() => next,
        };
        match next {
            None => return fail("the hub closed the stream".to_owned()),
            Some(Err(e)) => return fail(e.to_string()),
            Some(Ok(Incoming::Received(received))) => {
                let at = Instant::now();
                let id = received.meta.id.clone();
                let _ = events.send(Event::Receipt {
                    device: index,
                    client_message_id: received.meta.client_message_id,
                    at,
                });
                // The ack writes the state file (fsync), as a phone does;
                // on a thread of its own, so that the other devices'
                // receipts are not held up behind the disk.
                let handle = tokio::runtime::Handle::current();
                let acked = tokio::task::block_in_place(|| handle.block_on(listener.ack(&[id])));
                if let Err(e) = acked {
                    return fail(format!("ack: {e}"));
                }
            }
            Some(Ok(Incoming::Rejected(rejected))) => {
                let _ = events.send(Event::Rejected {
                    device: index,
                    reason: format!("{:?}", rejected.reason),
                });
            }
        }
    }
    let _ = tokio::time::timeout(CLOSE_WAIT, listener.close()).await;
}

/// What the listeners reported, gathered.
pub struct Inbox {
    rx: mpsc::UnboundedReceiver<Event>,
    /// By client message id: the receiving device and when.
    receipts: HashMap<String, (usize, Instant)>,
    pub connected: usize,
    /// Receipts of a client message id already received.
    pub duplicates: usize,
    pub rejected: Vec<String>,
}

impl Inbox {
    fn new(rx: mpsc::UnboundedReceiver<Event>) -> Inbox {
        Inbox { rx, receipts: HashMap::new(), connected: 0, duplicates: 0, rejected: Vec::new() }
    }

    fn absorb(&mut self, event: Event) -> anyhow::Result<()> {
        match event {
            Event::Connected => self.connected += 1,
            Event::Receipt { device, client_message_id, at } => {
                if self.receipts.insert(client_message_id, (device, at)).is_some() {
                    self.duplicates += 1;
                }
            }
            Event::Rejected { device, reason } => {
                self.rejected.push(format!("device {device} rejected an envelope: {reason}"));
            }
            Event::Failed { device, error } => {
                bail!("the stream of device {device} ({}) failed: {error}", phone(device))
            }
        }
        Ok(())
    }

    /// Takes reports until `done` holds (`true`) or `deadline` passes
    /// (`false`). A failed listener is an error.
    pub async fn wait(
        &mut self,
        deadline: Instant,
        done: impl Fn(&Inbox) -> bool,
    ) -> anyhow::Result<bool> {
        loop {
            while let Ok(event) = self.rx.try_recv() {
                self.absorb(event)?;
            }
            if done(self) {
                return Ok(true);
            }
            match tokio::time::timeout_at(deadline.into(), self.rx.recv()).await {
                Err(_) => return Ok(false),
                Ok(None) => bail!("every listener has stopped"),
                Ok(Some(event)) => self.absorb(event)?,
            }
        }
    }

    /// How many distinct messages have arrived so far.
    pub fn count(&self) -> usize {
        self.receipts.len()
    }

    /// The receipt of `client_message_id`, if it came.
    pub fn receipt(&self, client_message_id: &str) -> Option<(usize, Instant)> {
        self.receipts.get(client_message_id).copied()
    }
}

/// One message a device sent.
#[derive(Debug, Clone)]
pub struct Sent {
    pub client_message_id: String,
    /// The intended recipient's index.
    pub to: usize,
    /// Just before `send_with`.
    pub start: Instant,
    /// How long `send_with` took: two directory look-ups (the recipient's
    /// and the sender's own handle), sealing and signing, the POST.
    pub call: Duration,
}

/// Sends one text from `device` to device `to`; an error when the hub
/// does not route it blue.
pub async fn send_one(
    device: &mut Device,
    handles: &[String],
    to: usize,
    body: String,
) -> anyhow::Result<Sent> {
    let content = Content::text(body);
    let start = Instant::now();
    let report = device
        .send_with(std::slice::from_ref(&handles[to]), &content, None, SmsChoice::Never)
        .await
        .with_context(|| format!("sending to {}", handles[to]))?;
    let call = start.elapsed();
    match report.answer.recipients.first().map(|r| r.route) {
        Some(Route::Blue) => {}
        route => bail!("the hub routed a message to {} as {route:?}, not blue", handles[to]),
    }
    Ok(Sent { client_message_id: report.client_message_id, to, start, call })
}

/// Every device sends its list of recipients (indices) one after the
/// other, all devices at once, until `deadline`. Returns the devices (in
/// order), what was sent, and the errors.
pub async fn fan_out(
    devices: Vec<Device>,
    plan: Vec<Vec<usize>>,
    handles: &[String],
    label: &str,
    deadline: Instant,
) -> anyhow::Result<(Vec<Device>, Vec<Sent>, Vec<String>)> {
    let n = devices.len();
    let mut set = JoinSet::new();
    for (i, (mut device, targets)) in devices.into_iter().zip(plan).enumerate() {
        let handles = handles.to_vec();
        let label = label.to_owned();
        set.spawn(async move {
            let mut sent = Vec::with_capacity(targets.len());
            let mut errors = Vec::new();
            for (seq, to) in targets.into_iter().enumerate() {
                let body = format!("relay bench {label} {i}.{seq}");
                match send_one(&mut device, &handles, to, body).await {
                    Ok(s) => sent.push(s),
                    Err(e) => errors.push(format!("{}: {e:#}", phone(i))),
                }
            }
            (i, device, sent, errors)
        });
    }
    let mut out: Vec<Option<Device>> = (0..n).map(|_| None).collect();
    let mut sent = Vec::new();
    let mut errors = Vec::new();
    loop {
        match tokio::time::timeout_at(deadline.into(), set.join_next()).await {
            Err(_) => {
                set.abort_all();
                bail!(
                    "the {label} sends did not finish in time ({} device(s) still sending)",
                    set.len()
                );
            }
            Ok(None) => break,
            Ok(Some(Err(e))) => bail!("a sending task failed: {e}"),
            Ok(Some(Ok((i, device, s, e)))) => {
                out[i] = Some(device);
                sent.extend(s);
                errors.extend(e);
            }
        }
    }
    Ok((all_back(out)?, sent, errors))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_are_dutch_mobile_numbers() {
        assert_eq!(phone(0), "+31610000000");
        assert_eq!(phone(99), "+31610000099");
        let parsed = bubblegate_client::proto::E164::parse(&phone(42), None).expect("valid");
        assert_eq!(parsed.as_str(), "+31610000042");
    }

    #[test]
    fn finds_the_code() {
        assert_eq!(
            six_digits("Your Bubblegate code: 042917. Valid 10 min."),
            Some("042917".into())
        );
        assert_eq!(six_digits("1234567 then 123456"), Some("123456".into()));
        assert_eq!(six_digits("no code"), None);
    }
}
