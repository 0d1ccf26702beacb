//! Listing 8-4: what a child keeps of its parent's signal state. The parent catches SIGUSR1 with a
//! handler, ignores SIGUSR2 and blocks SIGHUP. Its forked child has all three; when the child execs
//! a program (this one again, with the argument `report`), the handler is gone — its code is no
//! longer in the process — while the ignored signal and the mask stay. Each line is read from
//! `/proc/PID/status`, where the kernel keeps this state.

use std::ffi::CString;

use nix::sys::signal::{SigmaskHow, Signal, pthread_sigmask};
use nix::unistd::execv;

use lesson_01_fork::{exit_now, fork_and_run};
use lesson_02_wait::wait_for;
use lesson_08_signals::SignalState;
use lesson_08_signals::handler::{catch, ignore, reset};
use lesson_08_signals::mask::Blocked;

/// The three signals this listing looks at.
const WATCHED: [Signal; 3] = [Signal::SIGHUP, Signal::SIGUSR1, Signal::SIGUSR2];

/// One line: which of the watched signals this process catches, ignores and blocks.
fn report(when: &str) -> std::io::Result<()> {
    let state = SignalState::of_self()?;
    let watched = |signals: Vec<Signal>| {
        let names: Vec<&str> = signals.iter().filter(|s| WATCHED.contains(s)).map(|s| s.as_str()).collect();
        if names.is_empty() { "-".to_string() } else { names.join(",") }
    };
    let (caught, ignored, blocked) = (watched(state.caught), watched(state.ignored), watched(state.blocked));
    println!("{when:<12} caught {caught:<8} ignored {ignored:<8} blocked {blocked}");
    Ok(())
}

// ANCHOR: main
fn main() -> Result<(), Box<dyn std::error::Error>> {
    if std::env::args().nth(1).as_deref() == Some("report") {
        return Ok(report("after exec:")?);
    }
    for signal in WATCHED {
        reset(signal)?; // start from the defaults: `nohup`, for one, leaves SIGHUP ignored
    }
    pthread_sigmask(SigmaskHow::SIG_UNBLOCK, Some(&WATCHED.into_iter().collect()), None)?;
    catch(Signal::SIGUSR1)?;
    ignore(Signal::SIGUSR2)?;
    let _blocked = Blocked::new(&[Signal::SIGHUP])?;
    report("before fork:")?;
    let child = fork_and_run(|| {
        let _ = report("after fork:");
        let program = CString::new(
            std::env::current_exe().map(|p| p.into_os_string().into_encoded_bytes()).unwrap_or_default(),
        );
        if let Ok(program) = program {
            let _ = execv(&program, &[program.clone(), c"report".to_owned()]);
        }
        exit_now(127) // only if exec failed
    })?;
    wait_for(child)?;
    Ok(())
}
// ANCHOR_END: main
