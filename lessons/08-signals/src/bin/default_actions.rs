//! Listing 8-1: what a signal does to a process that has asked for nothing. For each of six
//! signals, a child waits in `pause()`; the parent sends it the signal and reports what happened,
//! as `waitpid` tells it: killed, stopped (then continued), or nothing at all (then SIGKILL ends it).
//! A gate the child opens tells the parent that it is ready: the signal never comes too early.

use lesson_01_fork::{Gate, fork_and_run};
use lesson_02_wait::{disable_core_dumps, wait_for, wait_for_change};
use lesson_08_signals::handler::reset;
use lesson_08_signals::{DefaultAction, default_action};
use nix::sys::signal::{SigSet, SigmaskHow, Signal, kill, pthread_sigmask};
use nix::unistd::pause;

// ANCHOR: main
fn main() -> Result<(), Box<dyn std::error::Error>> {
    use Signal::*;
    for signal in [SIGUSR1, SIGINT, SIGQUIT, SIGTSTP, SIGCHLD, SIGCONT] {
        let (ready, is_ready) = Gate::new()?.split();
        let child = fork_and_run(move || {
            // Ask for nothing: whoever started this program may have left the signal ignored or
            // blocked (a shell's background job starts with SIGINT and SIGQUIT ignored).
            let _ = reset(signal);
            let _ = pthread_sigmask(SigmaskHow::SIG_UNBLOCK, Some(&SigSet::from(signal)), None);
            disable_core_dumps().ok(); // SIGQUIT would write a core file
            ready.open();
            loop {
                pause();
            }
        })?;
        is_ready.wait();
        kill(child, signal)?;
        match default_action(signal) {
            DefaultAction::Terminate | DefaultAction::CoreDump => {
                println!("{signal}: the child was {}", wait_for(child)?);
            }
            DefaultAction::Stop => {
                let stopped = wait_for_change(child)?;
                kill(child, SIGCONT)?;
                let continued = wait_for_change(child)?;
                kill(child, SIGKILL)?;
                println!("{signal}: the child was {stopped}, {continued}, then {}", wait_for(child)?);
            }
            DefaultAction::Ignore | DefaultAction::Continue => {
                kill(child, SIGKILL)?; // nothing happened: the child still waits
                println!("{signal}: nothing happened; then the child was {}", wait_for(child)?);
            }
        }
    }
    Ok(())
}
// ANCHOR_END: main
