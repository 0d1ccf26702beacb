//! A host file for timely's `-h` option: one address a line, process `i` listening on line `i`.

use std::io;
use std::net::TcpListener;
use std::path::Path;

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
