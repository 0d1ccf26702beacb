//! Listing 3-3: terminate and kill, and the exit codes they leave: -15 and -9.

use lesson_03_process::Process;

/// A target that never ends on its own: it sleeps in the kernel until a signal comes.
fn wait_for_a_signal() {
    loop {
        nix::unistd::pause();
    }
}

/// An exit code as Python prints it: the number, or `None`.
fn shown(code: Option<i32>) -> String {
    code.map_or("None".to_string(), |code| code.to_string())
}

// ANCHOR: main
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut p = Process::new(wait_for_a_signal);
    p.start()?;
    println!("{}: exitcode -> {}", p.name(), shown(p.exitcode()?));
    p.terminate()?;
    p.join()?;
    println!("{}: after terminate(), exitcode -> {}", p.name(), shown(p.exitcode()?));

    let mut q = Process::new(wait_for_a_signal);
    q.start()?;
    q.kill()?;
    q.join()?;
    println!("{}: after kill(), exitcode -> {}", q.name(), shown(q.exitcode()?));
    Ok(())
}
// ANCHOR_END: main
