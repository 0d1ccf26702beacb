//! Dask's side: the interpreter runs `python/measure_dask.py`, which starts a `LocalCluster` of two
//! worker processes (one thread each, loopback only, through `python/local_cluster.py`), times the
//! map inside itself once the cluster is up, and prints what it measured as JSON.
//!
//! As chapter 7 runs CPython, the benchmark runs `$PYTHON` if set, else `python3`. If it cannot
//! import `distributed`, Dask's cells stay empty with a printed note, except under `CI=true`,
//! where that is an error.

use std::path::PathBuf;
use std::process::Command;

use lesson_07_measuring::python::interpreter_running;
use serde::Deserialize;

use super::Error;
use super::check::Fingerprint;
use super::sizes::Sizes;

/// What the script printed.
#[derive(Debug, Clone, Deserialize)]
pub struct Measured {
    /// The time of each map, in seconds, one list per round.
    pub map: Vec<Vec<f64>>,
    /// The fingerprint of each map's result, in the order of the times.
    pub results: Vec<Fingerprint>,
    /// One task of one partition, its results back as an `array('Q')`, one list per round.
    pub task_array: Vec<Vec<f64>>,
    /// The same task with its results back as a Python list, which Dask serialises item by item.
    pub task_list: Vec<Vec<f64>>,
    /// Each start of a cluster: from entering `local_cluster(2)` to both workers ready, in seconds.
    pub start: Vec<f64>,
    /// Each start plus its close: leaving `local_cluster(2)` until every process is gone.
    pub start_close: Vec<f64>,
}

/// An interpreter that can import Dask distributed, and the script it runs.
#[derive(Debug, Clone)]
pub struct Dask {
    interpreter: String,
    script: PathBuf,
    /// `Python 3.11.7, Dask 2026.8.0`: the versions, for the table's header.
    pub versions: String,
}

/// What the interpreter prints when asked for its versions.
const VERSIONS: &str =
    "import sys, distributed; print(f'Python {sys.version.split()[0]}, Dask {distributed.__version__}')";

impl Dask {
    /// Finds the interpreter. `Ok(None)` with a printed reason when it cannot import
    /// `distributed`; an error under `CI=true`.
    pub fn find() -> Result<Option<Dask>, Error> {
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("python/measure_dask.py");
        let missing = (
            "cannot import distributed: Dask's cells stay empty",
            "pip install -r lessons/10-beyond/python/requirements.txt, or set PYTHON",
        );
        Ok(interpreter_running(&["-c", VERSIONS], missing)?.map(|(interpreter, versions)| Dask {
            interpreter,
            script,
            versions,
        }))
    }

    // ANCHOR: run
    /// Runs the script: `measure_dask.py ITEMS PARTITIONS ROUNDS MAPS STARTS`, as `sizes` says.
    pub fn run(&self, sizes: Sizes) -> Result<Measured, Error> {
        let args =
            [sizes.items, sizes.partitions, sizes.rounds as u64, sizes.maps as u64, sizes.rounds as u64];
        let out = Command::new(&self.interpreter)
            .arg(&self.script)
            .args(args.map(|arg| arg.to_string()))
            .output()?;
        if !out.status.success() {
            let said = String::from_utf8_lossy(&out.stderr);
            return Err(format!("measure_dask.py failed ({}): {said}", out.status).into());
        }
        Ok(serde_json::from_slice(&out.stdout)?)
    }
    // ANCHOR_END: run
}
