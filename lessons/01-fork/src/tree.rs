//! A picture of a run of Listing 1-5: the tree of processes its loop of forks made, drawn as SVG from
//! what the processes printed (pids normalised to P1, P2, …), so that a test can draw it again from a
//! real run and compare it with the one the book shows.

/// One process of the run: its label, its parent's, and how many forks it made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// `P4`.
    pub name: String,
    /// `P1`.
    pub parent: String,
    /// How many times it called `fork`.
    pub forks: usize,
}

/// The processes named by the lines `process PX, child of PY, forks made: N` of `output`.
pub fn nodes(output: &str) -> Vec<Node> {
    output
        .lines()
        .filter_map(|line| {
            let rest = line.strip_prefix("process ")?;
            let (name, rest) = rest.split_once(", child of ")?;
            let (parent, forks) = rest.split_once(", forks made: ")?;
            Some(Node { name: name.into(), parent: parent.into(), forks: forks.trim().parse().ok()? })
        })
        .collect()
}

const BOX_WIDTH: usize = 96;
const BOX_HEIGHT: usize = 38;
const SLOT: usize = 112;
const LEVEL: usize = 78;
const MARGIN: usize = 24;

/// The SVG tree of `nodes`: the first process at the top, each process above the children it forked,
/// in the order it forked them (the first one forked goes on to make the most forks of its own).
pub fn svg(nodes: &[Node]) -> String {
    let Some(root) = nodes.iter().find(|n| !nodes.iter().any(|m| m.name == n.parent)) else {
        return String::new();
    };
    let children = |name: &str| {
        let mut found: Vec<&Node> = nodes.iter().filter(|n| n.parent == name).collect();
        found.sort_by_key(|n| std::cmp::Reverse(n.forks));
        found
    };
    // Place the leaves left to right; a parent sits centred over its children.
    let mut places: Vec<(&Node, f64, usize)> = Vec::new();
    let mut next_slot = 0.0;
    place(root, 0, &children, &mut places, &mut next_slot);
    let depth = places.iter().map(|&(_, _, d)| d).max().unwrap_or(0);
    let width = MARGIN * 2 + next_slot as usize * SLOT;
    let height = MARGIN * 2 + depth * LEVEL + BOX_HEIGHT + 24;
    let x = |slot: f64| MARGIN as f64 + slot * SLOT as f64 + (SLOT - BOX_WIDTH) as f64 / 2.0;
    let y = |depth: usize| MARGIN + depth * LEVEL;
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" \
         viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"13\">\n\
         <rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
    );
    for &(node, slot, depth) in &places {
        if let Some(&(_, parent_slot, parent_depth)) = places.iter().find(|(p, _, _)| p.name == node.parent) {
            out.push_str(&format!(
                "<line x1=\"{:.1}\" y1=\"{}\" x2=\"{:.1}\" y2=\"{}\" stroke=\"#555\"/>\n",
                x(parent_slot) + BOX_WIDTH as f64 / 2.0,
                y(parent_depth) + BOX_HEIGHT,
                x(slot) + BOX_WIDTH as f64 / 2.0,
                y(depth)
            ));
        }
    }
    for &(node, slot, depth) in &places {
        let (left, top) = (x(slot), y(depth));
        let middle = left + BOX_WIDTH as f64 / 2.0;
        let fill = if depth == 0 { "#dbe6f4" } else { "#f4f4f4" };
        let forks = if node.forks == 1 { "1 fork".to_string() } else { format!("{} forks", node.forks) };
        out.push_str(&format!(
            "<rect x=\"{left:.1}\" y=\"{top}\" width=\"{BOX_WIDTH}\" height=\"{BOX_HEIGHT}\" rx=\"5\" \
             fill=\"{fill}\" stroke=\"#333\"/>\n\
             <text x=\"{middle:.1}\" y=\"{}\" text-anchor=\"middle\" font-weight=\"bold\">{}</text>\n\
             <text x=\"{middle:.1}\" y=\"{}\" text-anchor=\"middle\" font-size=\"11\">made {forks}</text>\n",
            top + 16,
            node.name,
            top + 31,
        ));
    }
    out.push_str(&format!(
        "<text x=\"{MARGIN}\" y=\"{}\" font-size=\"12\" fill=\"#444\">Each process above the children it \
         forked, first forked on the left; {} processes in all.</text>\n</svg>\n",
        height - 8,
        places.len()
    ));
    out
}

/// Gives `node` and its descendants their slots (leaves take the next free one) and depths.
fn place<'a>(
    node: &'a Node,
    depth: usize,
    children: &dyn Fn(&str) -> Vec<&'a Node>,
    places: &mut Vec<(&'a Node, f64, usize)>,
    next_slot: &mut f64,
) -> f64 {
    let kids = children(&node.name);
    let slot = if kids.is_empty() {
        let slot = *next_slot;
        *next_slot += 1.0;
        slot
    } else {
        let slots: Vec<f64> =
            kids.iter().map(|kid| place(kid, depth + 1, children, places, next_slot)).collect();
        (slots[0] + slots[slots.len() - 1]) / 2.0
    };
    places.push((node, slot, depth));
    slot
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_processes_and_draws_one_box_each() {
        let output = "process P1 starts a loop of 2 forks\nprocess P2, child of P3, forks made: 0\n\
                      process P3, child of P1, forks made: 1\nprocess P4, child of P1, forks made: 0\n\
                      process P1, child of P5, forks made: 2\n4 processes in all";
        let found = nodes(output);
        assert_eq!(found.len(), 4);
        assert_eq!(found[1], Node { name: "P3".into(), parent: "P1".into(), forks: 1 });
        let picture = svg(&found);
        assert_eq!(picture.matches("<rect x=").count(), 4);
        assert_eq!(picture.matches("<line ").count(), 3);
        assert!(picture.contains("4 processes in all"));
    }
}
