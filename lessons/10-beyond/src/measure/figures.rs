//! Every figure, round by round. The maps take turns within each round — sequential, `Pool`,
//! timely on one thread and on two, timely on two processes — so that a machine that grows busier or quieter during
//! the run weighs on all of them alike. Dask's maps run in its own script, after the others.
//!
//! The figures that fork (the round trips, a pool's start) come first, while this process has a
//! single thread; the pool that maps is made next, before timely starts its threads.

use std::time::Instant;

use lesson_06_pool::Pool;
use lesson_07_measuring::figures::start::pool_start_close_join;
use lesson_07_measuring::figures::{repeat, thousands};
use lesson_07_measuring::floors::pipe_round_trips;
use lesson_07_measuring::pin::{Placement, usable_cpus};
use lesson_07_measuring::stats::Stat;
use lesson_07_measuring::threads::settle;

use super::Error;
use super::check::{Fingerprint, same, same_values};
use super::dask::Dask;
use super::network::tcp_round_trips;
use super::processes::{TimelyProcesses, start_until_connected};
use super::sizes::Sizes;
use super::threads::TimelyThreads;
use crate::work::square;

/// The row a figure is divided by, and how the table names it.
#[derive(Debug, Clone, Copy)]
pub struct Versus {
    /// The id of the row divided by.
    pub id: &'static str,
    /// Its name after the ratio: `1.52× sequential`.
    pub name: &'static str,
}

/// One line of the table: the samples of each round, in seconds.
#[derive(Debug, Clone)]
pub struct Row {
    /// A stable name, for the ratios and the notes.
    pub id: &'static str,
    /// What the table calls it.
    pub label: String,
    /// The samples, one list per round; none where nothing was measured (no Dask).
    pub rounds: Vec<Vec<f64>>,
    /// The row this one is divided by, if any.
    pub versus: Option<Versus>,
}

impl Row {
    /// A row with no samples yet.
    pub fn new(id: &'static str, label: impl Into<String>) -> Row {
        Row { id, label: label.into(), rounds: Vec::new(), versus: None }
    }

    /// The same row, divided by the row `id`, called `name`.
    pub fn versus(mut self, id: &'static str, name: &'static str) -> Row {
        self.versus = Some(Versus { id, name });
        self
    }

    /// Its samples summed up: the median of all of them, and more; `None` if there are none.
    pub fn stat(&self) -> Option<Stat> {
        Stat::of(&self.rounds)
    }
}

/// Measures every figure at `sizes`, Dask's where there is a Dask; `progress` hears the name of each
/// group of figures as it begins.
pub fn measure_all(
    sizes: Sizes,
    dask: Option<&Dask>,
    mut progress: impl FnMut(&str),
) -> Result<Vec<Row>, Error> {
    progress("round trips: a pipe, and loopback TCP");
    let network = round_trips(sizes)?;
    progress("start-up: Pool(2)");
    let pool_start = pool_starts(sizes)?;
    progress("maps: sequential, Pool(2), timely on 1 and 2 threads and on 2 processes, in turn");
    let mut rows = maps(sizes)?;
    progress("start-up: timely, 2 processes");
    let timely_start = timely_starts(sizes)?;
    progress("Dask: maps, one task, start-up");
    let [dask_map, task_array, task_list, dask_start, dask_start_close] = dask_rows(sizes, dask)?;
    rows.extend([dask_map, task_array, task_list]);
    rows.extend(network);
    rows.extend([pool_start, timely_start, dask_start, dask_start_close]);
    Ok(rows)
}

/// The pipe floor and a TCP round trip, in each placement this machine allows, in turn.
fn round_trips(sizes: Sizes) -> Result<Vec<Row>, Error> {
    let placements: &[Placement] = if usable_cpus() >= 2 { &Placement::BOTH } else { &Placement::BOTH[..1] };
    let mut rows = Vec::new();
    for &placement in placements {
        let (pipe_id, tcp_id, name) = match placement {
            Placement::OneCore => ("pipe_one", "tcp_one", "pipe, one core"),
            Placement::TwoCores => ("pipe_two", "tcp_two", "pipe, two cores"),
        };
        let mut pipe = Row::new(pipe_id, format!("round trip: pipe, {}", placement.words()));
        let mut tcp = Row::new(tcp_id, format!("round trip: loopback TCP, {}", placement.words()))
            .versus(pipe_id, name);
        for _ in 0..sizes.rounds {
            pipe.rounds.push(pipe_round_trips(placement, sizes.round_trips)?);
            tcp.rounds.push(tcp_round_trips(placement, sizes.round_trips)?);
        }
        rows.extend([pipe, tcp]);
    }
    Ok(rows)
}

/// Chapter 7's figure: a pool of two made, closed and joined, with no task.
fn pool_starts(sizes: Sizes) -> Result<Row, Error> {
    settle()?;
    let mut row = Row::new("pool_start", "start: Pool(2), start, close, join");
    for _ in 0..sizes.rounds {
        row.rounds.push(repeat(sizes.pool_starts, pool_start_close_join)?);
    }
    Ok(row)
}

/// The five maps of this program, in turn, each checked against the sequential map's values.
fn maps(sizes: Sizes) -> Result<Vec<Row>, Error> {
    let items = sizes.items;
    let expected: Vec<u64> = (0..items).map(square).collect();
    let fingerprint = Fingerprint::of(&expected);
    // The pool forks its workers: it is made while this process has one thread, before timely's.
    settle()?;
    let pool = Pool::new(Some(2))?;
    let mut one = TimelyThreads::start(1, items)?;
    let mut threads = TimelyThreads::start(2, items)?;
    let mut processes = TimelyProcesses::start(items)?;
    let mut rows = [
        Row::new("sequential", format!("map {}: sequential", thousands(items))),
        Row::new("pool", "map: Pool(2), pool.map").versus("sequential", "sequential"),
        Row::new("timely_one", "map: timely, 1 thread").versus("sequential", "sequential"),
        Row::new("timely_threads", "map: timely, 2 threads, 1 process").versus("sequential", "sequential"),
        Row::new("timely_processes", "map: timely, 2 processes, TCP").versus("sequential", "sequential"),
    ];
    // The first round is not counted: it faults in pages, and fills timely's buffers.
    for round in 0..=sizes.rounds {
        let mut samples: [Vec<f64>; 5] = Default::default();
        for _ in 0..if round == 0 { 1 } else { sizes.maps } {
            let began = Instant::now();
            let values: Vec<u64> = (0..items).map(square).collect();
            samples[0].push(began.elapsed().as_secs_f64());
            same_values("the sequential map", &values, &expected)?;
            drop(values);

            let began = Instant::now();
            let values: Vec<u64> = pool.map(square, 0..items)?;
            samples[1].push(began.elapsed().as_secs_f64());
            same_values("Pool(2)", &values, &expected)?;
            drop(values);

            let round = one.round()?;
            samples[2].push(round.seconds);
            same_values("timely on 1 thread", &round.values, &expected)?;

            let round = threads.round()?;
            samples[3].push(round.seconds);
            same_values("timely on 2 threads", &round.values, &expected)?;

            let (seconds, got) = processes.round()?;
            samples[4].push(seconds);
            same("timely on 2 processes", got, fingerprint)?;
        }
        if round > 0 {
            for (row, samples) in rows.iter_mut().zip(samples) {
                row.rounds.push(samples);
            }
        }
    }
    one.finish()?;
    threads.finish()?;
    processes.finish()?;
    pool.close();
    pool.join()?;
    Ok(rows.into())
}

/// Two timely processes started until connected, then finished, once a round.
fn timely_starts(sizes: Sizes) -> Result<Row, Error> {
    let mut row =
        Row::new("timely_start", "start: timely, 2 processes, connected").versus("pool_start", "Pool(2)");
    for _ in 0..sizes.rounds {
        row.rounds.push(vec![start_until_connected()?]);
    }
    Ok(row)
}

/// Dask's rows, from one run of its script, each result checked; empty without Dask.
fn dask_rows(sizes: Sizes, dask: Option<&Dask>) -> Result<[Row; 5], Error> {
    let partition = thousands(sizes.items.div_ceil(sizes.partitions));
    let mut rows = [
        Row::new("dask", format!("map: Dask, 2 workers, {} tasks", sizes.partitions))
            .versus("sequential", "sequential"),
        Row::new("task_array", format!("Dask: 1 task of {partition}, array back")),
        Row::new("task_list", format!("Dask: 1 task of {partition}, list back"))
            .versus("task_array", "array back"),
        Row::new("dask_start", "start: Dask LocalCluster(2), ready").versus("pool_start", "Pool(2)"),
        Row::new("dask_start_close", "start: Dask LocalCluster(2), and close")
            .versus("pool_start", "Pool(2)"),
    ];
    let Some(dask) = dask else { return Ok(rows) };
    let measured = dask.run(sizes)?;
    let expected = Fingerprint::of(&(0..sizes.items).map(square).collect::<Vec<u64>>());
    let maps: usize = measured.map.iter().map(Vec::len).sum();
    if measured.results.len() != maps {
        return Err(format!("measure_dask.py gave {} results for {maps} maps", measured.results.len()).into());
    }
    for &got in &measured.results {
        same("Dask", got, expected)?;
    }
    let one_each = |times: Vec<f64>| times.into_iter().map(|time| vec![time]).collect();
    let [map, array, list, start, start_close] = &mut rows;
    map.rounds = measured.map;
    array.rounds = measured.task_array;
    list.rounds = measured.task_list;
    start.rounds = one_each(measured.start);
    start_close.rounds = one_each(measured.start_close);
    Ok(rows)
}
