//! A host file for timely's `-h` option: one address a line, process `i` listening on line `i`.

use std::io;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

// ANCHOR: loopback_hosts
/// Writes to `path` one loopback address for each of `processes`, each on a port the kernel had
/// free a moment ago (a listener bound to port 0 is given one), and returns the addresses.
pub fn loopback_hosts(path: &Path, processes: usize) -> io::Result<Vec<String>> {
    // All listeners live until every port is chosen, so no two processes get the same one.
    let listeners: Vec<TcpListener> =
        (0..processes).map(|_| TcpListener::bind("127.0.0.1:0")).collect::<io::Result<_>>()?;
    let addresses: Vec<String> =
        listeners.iter().map(|l| l.local_addr().map(|a| a.to_string())).collect::<io::Result<_>>()?;
    std::fs::write(path, addresses.iter().map(|a| format!("{a}\n")).collect::<String>())?;
    Ok(addresses)
}
// ANCHOR_END: loopback_hosts

/// A host file of loopback addresses in the temporary directory, removed when dropped.
#[derive(Debug)]
pub struct HostFile {
    path: PathBuf,
    addresses: Vec<String>,
}

impl HostFile {
    /// Writes a host file for `processes` processes on this machine (see [`loopback_hosts`]).
    pub fn loopback(processes: usize) -> io::Result<HostFile> {
        static MADE: AtomicUsize = AtomicUsize::new(0);
        let name = format!("timely-hosts-{}-{}", std::process::id(), MADE.fetch_add(1, Ordering::Relaxed));
        let path = std::env::temp_dir().join(name);
        let addresses = loopback_hosts(&path, processes)?;
        Ok(HostFile { path, addresses })
    }

    /// Where the file is, for `-h`.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The addresses it lists, process 0's first.
    pub fn addresses(&self) -> &[String] {
        &self.addresses
    }
}

impl Drop for HostFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}
