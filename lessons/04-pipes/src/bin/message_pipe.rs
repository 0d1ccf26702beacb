//! Listing 4-3: a value of a type of ours crosses a pipe to a child, encoded by serde and postcard as
//! Python's pickle encodes objects; an answer comes back through a second pipe.

use lesson_01_fork::getpid;
use lesson_03_process::Process;
use lesson_04_pipes::message_pipe;
use serde::{Deserialize, Serialize};

// ANCHOR: main
/// An order: a type of ours, with a nested type, a vector and an option.
#[derive(Debug, Serialize, Deserialize)]
struct Order {
    id: u32,
    customer: String,
    items: Vec<Item>,
    note: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Item {
    name: String,
    quantity: u32,
    price: u32,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // A pipe goes one way: orders go to the child through one, totals come back through another.
    let (orders, order_sender) = message_pipe::<Order>()?;
    let (totals, total_sender) = message_pipe::<u32>()?;
    let mut p = Process::new(move || -> i32 {
        let Ok(order) = orders.recv() else { return 1 };
        let items: Vec<String> =
            order.items.iter().map(|i| format!("{} x {} at {}", i.quantity, i.name, i.price)).collect();
        let note = order.note.as_deref().unwrap_or("none");
        println!(
            "child {} received order {} for {}: {}; note: {note}",
            getpid(),
            order.id,
            order.customer,
            items.join(", ")
        );
        let total: u32 = order.items.iter().map(|i| i.quantity * i.price).sum();
        i32::from(total_sender.send(&total).is_err())
    });
    p.start()?;
    let order = Order {
        id: 7,
        customer: "Ada".to_string(),
        items: vec![
            Item { name: "tea".to_string(), quantity: 2, price: 3 },
            Item { name: "cake".to_string(), quantity: 1, price: 4 },
        ],
        note: Some("no sugar".to_string()),
    };
    println!("parent {} sends order {} for {}", getpid(), order.id, order.customer);
    order_sender.send(&order)?;
    println!("parent {} received the total: {}", getpid(), totals.recv()?);
    p.join()?;
    Ok(())
}
// ANCHOR_END: main
