//! The grader's command line: its commands, and their help in the learner's language.

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::words::tr;

/// What the grader is asked to do. The help's words are in [`with_help`], in the learner's language.
#[derive(Parser)]
#[command(name = "grader")]
pub struct Cli {
    /// The command; none grades every chapter.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The grader's commands. Their help is set in [`with_help`], in the learner's language, over what
/// clap would take from these comments.
#[derive(Subcommand)]
pub enum Command {
    /// `watch`
    Watch,
    /// `check CHAPTER`
    Check {
        /// The chapter's number.
        chapter: u32,
    },
    /// `list`
    List,
    /// `hint [EXERCISE]`
    Hint {
        /// The exercise's name; none for the one being worked on.
        exercise: Option<String>,
    },
    /// `reset EXERCISE [--yes]`
    Reset {
        /// The exercise's name.
        exercise: String,
        /// Do not ask first.
        #[arg(long)]
        yes: bool,
    },
}

/// The grader's command line with its help, in the learner's language (clap's own words, such as
/// "Usage" and "Print help", stay English).
fn with_help(command: clap::Command) -> clap::Command {
    let exercise = || tr("The exercise's name, e.g. `fork_children`.");
    command
        .about(tr(
            "From fork to Pool: grades your exercises in exercises/src/. With no command, grades every chapter and shows your progress and the exercise to do next.",
        ))
        .mut_subcommand("watch", |c| {
            c.about(tr("Grade every chapter, then each chapter again whenever you save its file. Ctrl-C stops."))
        })
        .mut_subcommand("check", |c| {
            c.about(tr("Grade one chapter only, e.g. `check 3`: faster while you work on it."))
                .mut_arg("chapter", |a| a.help(tr("The chapter's number.")))
        })
        .mut_subcommand("list", |c| c.about(tr("Show every exercise with each of its graded tests, passing or failing.")))
        .mut_subcommand("hint", |c| {
            c.about(tr(
                "Show an exercise's task and a hint, the next one each time you ask: for the exercise you are working on, or the one you name.",
            ))
            .mut_arg("exercise", |a| a.help(exercise()))
        })
        .mut_subcommand("reset", |c| {
            c.about(tr("Give an exercise its stub back (its doc comment, its signature, and `todo!()`)."))
                .mut_arg("exercise", |a| a.help(exercise()))
                .mut_arg("yes", |a| a.help(tr("Do not ask first.")))
        })
}

/// The command line the grader was started with; on a mistake, or `--help`, clap prints what it
/// has to say and ends the process. Call it after [`crate::words::choose`].
pub fn parse() -> Cli {
    let matches = with_help(Cli::command()).get_matches();
    Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
}
