//! `open_exclusive` over real pseudo-terminals from the simulator: the path
//! serial software opens for a USB modem, through the kernel's tty layer.

use std::os::fd::AsFd;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use bubblegate_serial::{open_exclusive, read_some, SerialError, SerialSettings};
use bubblegate_simulator::bubblegate_sim::{Fault, ModemId, NetworkConfig, ProfileSet};
use bubblegate_simulator::{Adapter, ModemConfig, Simulator, SimulatorConfig};
use tokio::io::AsyncWriteExt;

/// How long any single wait in these tests may take.
const WAIT: Duration = Duration::from_secs(10);

async fn start(dir: &Path, profile: &str) -> (Simulator, SerialSettings) {
    let set = ProfileSet::builtin().expect("built-in profiles");
    let profile = set.get(profile).expect("profile").clone();
    let settings = SerialSettings::from_port(&profile.port);
    let config = SimulatorConfig {
        dir: dir.to_path_buf(),
        modems: vec![ModemConfig::new(Arc::new(profile), 0, Adapter::Pty)],
        control: None,
        network: NetworkConfig::fast(),
    };
    (Simulator::start(config).await.expect("simulator starts"), settings)
}

/// Writes `line` and reads until the answer ends in `OK`.
async fn command(port: &mut bubblegate_serial::SerialStream, line: &str) -> String {
    port.write_all(format!("{line}\r").as_bytes()).await.expect("write");
    let mut got = Vec::new();
    let mut buf = [0u8; 256];
    let read = async {
        while !got.ends_with(b"OK\r\n") {
            match read_some(port, &mut buf).await.expect("read") {
                Some(n) => got.extend_from_slice(&buf[..n]),
                None => panic!("port closed; got {:?}", String::from_utf8_lossy(&got)),
            }
        }
    };
    tokio::time::timeout(WAIT, read).await.expect("answer in time");
    String::from_utf8_lossy(&got).into_owned()
}

/// `TIOCGEXCL`: whether the tty refuses further non-root opens.
fn is_exclusive(fd: impl AsFd) -> bool {
    use rustix::ioctl::{ioctl, opcode, Getter};
    const TIOCGEXCL: rustix::ioctl::Opcode = opcode::read::<std::ffi::c_int>(b'T', 0x40);
    // SAFETY: TIOCGEXCL writes one int, which is what the getter provides.
    let value = unsafe { ioctl(fd, Getter::<TIOCGEXCL, std::ffi::c_int>::new()) };
    value.expect("TIOCGEXCL") != 0
}

#[tokio::test]
async fn a_pty_modem_answers_refuses_a_second_opener_by_name_and_ends_cleanly_on_unplug() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (sim, settings) = start(dir.path(), "quectel-ec25").await;
    let path = sim.modems()[0].path.clone().expect("a PTY path");

    let mut port = open_exclusive(&path, &settings).await.expect("opens");
    assert!(command(&mut port, "AT").await.ends_with("OK\r\n"));
    assert!(command(&mut port, "AT+CGMI").await.contains("Quectel"));

    // A second opener, even this same process, is refused and told who
    // holds the port.
    match open_exclusive(&path, &settings).await {
        Err(SerialError::Busy { path: busy_path, holder: Some(holder) }) => {
            assert_eq!(busy_path, path);
            assert_eq!(holder.pid, std::process::id());
            let message = SerialError::Busy { path: busy_path, holder: Some(holder) }.to_string();
            assert!(message.contains(&format!("pid {}", std::process::id())), "{message}");
        }
        other => panic!("expected Busy naming this process, got {other:?}"),
    }
    // The first opener is unaffected.
    assert!(command(&mut port, "AT").await.ends_with("OK\r\n"));

    // Unplugged: the read ends with None, once and for good, in time.
    sim.handle().inject_fault(ModemId(0), Fault::Unplug).await.expect("unplug");
    let mut buf = [0u8; 64];
    let ended = tokio::time::timeout(WAIT, async {
        loop {
            if read_some(&mut port, &mut buf).await.expect("no error, just the end").is_none() {
                break;
            }
        }
    });
    ended.await.expect("the stream ends after unplug");
    let again = tokio::time::timeout(WAIT, read_some(&mut port, &mut buf)).await;
    assert!(matches!(again, Ok(Ok(None))), "still closed: {again:?}");
    drop(port);

    // Replugged on a new PTY behind the same path: it opens again.
    sim.handle().inject_fault(ModemId(0), Fault::Replug).await.expect("replug");
    let mut port = open_exclusive(&path, &settings).await.expect("opens after replug");
    assert!(command(&mut port, "AT").await.ends_with("OK\r\n"));
    drop(port);
    sim.shutdown().await;
}

#[tokio::test]
async fn dropping_the_stream_releases_the_tty_for_the_next_opener() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (sim, settings) = start(dir.path(), "generic").await;
    let path = sim.modems()[0].path.clone().expect("a PTY path");
    let device = sim.modems()[0].device.clone().expect("the PTY device");
    // An observer that does not lock, as ModemManager would hold it. The
    // kernel keeps TIOCEXCL while any descriptor is open, so only an
    // explicit TIOCNXCL on close lets the next non-root opener in.
    let observer = rustix::fs::open(
        &device,
        rustix::fs::OFlags::RDWR | rustix::fs::OFlags::NOCTTY | rustix::fs::OFlags::NONBLOCK,
        rustix::fs::Mode::empty(),
    )
    .expect("observer opens");

    for _ in 0..2 {
        let port = open_exclusive(&path, &settings).await.expect("opens");
        assert!(is_exclusive(&observer), "TIOCEXCL while open");
        drop(port);
        assert!(!is_exclusive(&observer), "TIOCEXCL cleared on drop");
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn missing_paths_and_non_terminals_fail_with_their_cause() {
    let dir = tempfile::tempdir().expect("temp dir");
    let settings = SerialSettings::default();
    let missing = dir.path().join("ttyUSB9");
    assert!(matches!(
        open_exclusive(&missing, &settings).await,
        Err(SerialError::NotFound { path }) if path == missing
    ));
    let dangling = dir.path().join("by-id");
    std::os::unix::fs::symlink(&missing, &dangling).expect("dangling link");
    assert!(matches!(
        open_exclusive(&dangling, &settings).await,
        Err(SerialError::NotFound { .. })
    ));
    let file = dir.path().join("file");
    std::fs::write(&file, b"not a tty").expect("file");
    assert!(matches!(
        open_exclusive(&file, &settings).await,
        Err(SerialError::NotATty { path }) if path == file
    ));
    assert!(matches!(
        open_exclusive(dir.path(), &settings).await,
        Err(SerialError::NotATty { .. })
    ));
}

#[tokio::test]
async fn the_profile_settings_reach_the_line() {
    use std::os::fd::{AsRawFd, BorrowedFd};

    use bubblegate_serial::FlowControl;
    use rustix::termios::{ControlModes, InputModes, LocalModes};

    let master = rustix::pty::openpt(rustix::pty::OpenptFlags::RDWR).expect("openpt");
    rustix::pty::grantpt(&master).expect("grantpt");
    rustix::pty::unlockpt(&master).expect("unlockpt");
    let name = rustix::pty::ptsname(&master, Vec::new()).expect("ptsname");
    let path = std::path::PathBuf::from(name.to_str().expect("UTF-8"));

    let cases = [
        (9600, FlowControl::Hardware, true, false),
        (115_200, FlowControl::None, false, false),
        (57_600, FlowControl::Software, false, true),
    ];
    for (baud, flow_control, rtscts, xonxoff) in cases {
        let settings = SerialSettings { baud, flow_control };
        let port = open_exclusive(&path, &settings).await.expect("opens");
        // SAFETY: the descriptor is open while `port` lives, past this use.
        let fd = unsafe { BorrowedFd::borrow_raw(port.as_raw_fd()) };
        let termios = rustix::termios::tcgetattr(fd).expect("tcgetattr");
        assert_eq!(termios.output_speed(), baud, "{settings:?}");
        assert_eq!(termios.control_modes.contains(ControlModes::CRTSCTS), rtscts, "{settings:?}");
        assert_eq!(termios.input_modes.contains(InputModes::IXON), xonxoff, "{settings:?}");
        assert!(termios.control_modes.contains(ControlModes::CLOCAL | ControlModes::CREAD));
        assert!(!termios.local_modes.intersects(LocalModes::ECHO | LocalModes::ICANON), "raw");
        drop(port);
    }
}
