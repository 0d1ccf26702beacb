//! Stable labels for pids in a program's output.
//!
//! A pid changes from run to run, so a snapshot cannot hold it. Blanking it would hide who is whose
//! parent; instead each distinct pid becomes a label, P1, P2, …, in the order it first appears.
//! A line "I am P2 and my parent is P1" still proves the parent.
//!
//! Which numbers are pids? On Linux the kernel hands out pids from 300 upwards once it has wrapped
//! around, and a running system is far past that long before a test runs, so every integer of three
//! or more digits is taken for a pid. The listings keep to that rule: any other number they print
//! (a count, an exit code, a return value of 0) stays below 100.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

static PID: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b[1-9][0-9]{2,}\b").expect("valid regex"));

/// Replaces every pid in `text` with P1, P2, … in order of first appearance.
pub fn normalise(text: &str) -> String {
    let mut labels: HashMap<String, String> = HashMap::new();
    PID.replace_all(text, |found: &regex::Captures| {
        let next = labels.len() + 1;
        labels.entry(found[0].to_string()).or_insert_with(|| format!("P{next}")).clone()
    })
    .into_owned()
}

#[cfg(test)]
mod tests {
    use super::normalise;

    #[test]
    fn labels_pids_in_order_of_first_appearance() {
        let text = "I (4242) made (4243).\nI am 4243, my parent is 4242.\n";
        assert_eq!(normalise(text), "I (P1) made (P2).\nI am P2, my parent is P1.\n");
    }

    #[test]
    fn leaves_small_numbers_alone() {
        assert_eq!(normalise("fork() returned 0; 8 processes; 2^3"), "fork() returned 0; 8 processes; 2^3");
    }

    #[test]
    fn does_not_split_longer_numbers() {
        assert_eq!(normalise("12345 123456 12345"), "P1 P2 P1");
    }
}
