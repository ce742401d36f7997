//! The `lantern` command: parses arguments, runs the library, prints diagnostics and the
//! error chain, and returns the exit code (0 ok, 1 content errors, 2 tool failure).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use lantern::{Build, Error, Options, diagnostic};

/// Builds the LAN shared learning library into a static website.
#[derive(Parser)]
#[command(name = "lantern", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the library into a static site (public/ by default)
    Build(Common),
    /// Check the library as a build would, without writing anything
    Check(Common),
    /// Create a new document with every required field, marked TODO
    New {
        /// Document type: intervention, evaluation, case-study, site or page
        #[arg(value_name = "TYPE")]
        kind: String,
        /// File name without .md: lower-case letters, digits and hyphens
        slug: String,
        /// The library folder holding content/
        #[arg(long, value_name = "DIR", default_value = ".")]
        root: PathBuf,
    },
}

#[derive(Args)]
struct Common {
    /// The library folder holding content/ and optionally themes/
    #[arg(long, value_name = "DIR", default_value = ".")]
    root: PathBuf,
    /// Where to write the site [default: public under the root]
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Include documents whose status is draft
    #[arg(long)]
    drafts: bool,
    /// Leave out the search index (a quicker preview; search then finds nothing)
    #[arg(long)]
    no_search: bool,
    /// Do not read git: no history or version pages, dates from front matter only
    #[arg(long)]
    no_history: bool,
    /// Also check the documents changed since this git ref: versions that go down, text
    /// changed without a new version, reviews overdue
    #[arg(long, value_name = "REF")]
    since: Option<String>,
    /// How to print diagnostics: human (with the source line) or json
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Human,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build(c) => build(&c, true),
        Command::Check(c) => build(&c, false),
        Command::New { kind, slug, root } => lantern::scaffold::new_document(&root, &kind, &slug)
            .map(|path| {
                let _ = writeln!(std::io::stdout(), "created {}", path.display());
                eprintln!("fill in the TODO markers, then run `lantern check`");
                ExitCode::SUCCESS
            }),
    };
    result.unwrap_or_else(|err| {
        print_error(&err);
        ExitCode::from(2)
    })
}

fn build(c: &Common, write: bool) -> Result<ExitCode, Error> {
    let options = Options {
        root: c.root.clone(),
        drafts: c.drafts,
        search: !c.no_search,
        history: !c.no_history,
        since: c.since.clone(),
    };
    let out = c.out.clone().unwrap_or_else(|| c.root.join("public"));
    // Pages that would come out as the last build made them are kept, not rendered again.
    let previous = lantern::output::Previous::read(&out);
    let mut staging = match write {
        true => Some(lantern::output::Staging::begin(&out)?),
        false => None,
    };
    let mut discard = lantern::output::Discard;
    let sink: &mut dyn lantern::output::Sink = match staging.as_mut() {
        Some(s) => s,
        None => &mut discard,
    };
    let build = lantern::build_into(&options, &previous, sink)?;
    for note in &build.notes {
        eprintln!("note: {note}");
    }
    match c.format {
        Format::Human => report(&build),
        Format::Json => {
            // A closed pipe (`lantern check --format json | head`) is not a failure.
            let _ = writeln!(
                std::io::stdout(),
                "{}",
                diagnostic::render_json(&build.diagnostics)
            );
        }
    }
    if build.has_errors() {
        if let Some(err) = &build.render_error {
            print_error(err);
            eprintln!(
                "  note: the theme may fail only because of the errors above; fix them first"
            );
        }
        return Ok(ExitCode::from(1));
    }
    match staging {
        Some(staging) => {
            let files = staging.len();
            lantern::timed("write", || staging.finish())?;
            eprintln!(
                "built {} documents into {} ({files} files): open {} in a browser",
                build.documents,
                out.display(),
                out.join("index.html").display()
            );
        }
        None => eprintln!("checked {} documents: no errors", build.documents),
    }
    Ok(ExitCode::SUCCESS)
}

fn report(build: &Build) {
    if build.diagnostics.is_empty() {
        return;
    }
    eprint!(
        "{}",
        diagnostic::render_human(&build.diagnostics, &build.sources)
    );
    let errors = build.diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = build.diagnostics.len() - errors;
    eprintln!("{}", summary(errors, warnings));
}

fn summary(errors: usize, warnings: usize) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    if errors > 0 {
        format!(
            "{} and {}: nothing was written",
            plural(errors, "error"),
            plural(warnings, "warning")
        )
    } else {
        plural(warnings, "warning")
    }
}

fn print_error(err: &Error) {
    eprintln!("error: {err}");
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        eprintln!("  caused by: {s}");
        source = s.source();
    }
}
