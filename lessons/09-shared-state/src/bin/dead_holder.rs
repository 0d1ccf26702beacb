//! Listing 9-5: a lock whose holder dies. The child takes the lock of two accounts, moves 20 out of
//! the first, and is killed with SIGKILL before it can put the 20 into the second. The parent's next
//! `lock()` gets the lock, and is told that its last holder died holding it.

use lesson_01_fork::{Gate, fork_and_run};
use lesson_02_wait::wait_for;
use lesson_09_shared_state::{Acquired, Array};
use nix::sys::signal::{Signal, kill};

// ANCHOR: main
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let accounts = Array::<i64>::new(&[60, 0])?;
    let (holding_open, holding_wait) = Gate::new()?.split();
    // Never opened: the child waits at it, holding the lock, until it is killed.
    let (_never, forever) = Gate::new()?.split();
    let child = fork_and_run(|| {
        let Ok(_held) = accounts.lock() else { return 1 };
        accounts.set(0, accounts.get(0) - 20);
        println!("child: took the lock, moved 20 out of account 0, and stops there");
        holding_open.open();
        forever.wait();
        accounts.set(1, accounts.get(1) + 20);
        0
    })?;
    holding_wait.wait();
    kill(child, Signal::SIGKILL)?;
    println!("parent: the child was {}", wait_for(child)?);

    match accounts.lock()? {
        Acquired::HolderDied(_guard) => {
            println!("parent: took the lock; its last holder died holding it");
            let balances = accounts.to_vec();
            let missing = 60 - balances.iter().sum::<i64>();
            // Our repair: what left account 0 and never reached account 1 goes back.
            accounts.set(0, accounts.get(0) + missing);
            println!("parent: the accounts held {balances:?}, {missing} short; now {:?}", accounts.to_vec());
        }
        Acquired::Free(_guard) => println!("parent: took the lock; it was free"),
    }
    match accounts.lock()? {
        Acquired::Free(_guard) => println!("parent: took the lock again; it was free"),
        Acquired::HolderDied(_guard) => println!("parent: took the lock again; its holder died"),
    }
    Ok(())
}
// ANCHOR_END: main
