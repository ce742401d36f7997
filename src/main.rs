//! The `lantern` command: parses arguments, runs the library, prints diagnostics and the
//! error chain, and returns the exit code (0 ok, 1 content errors, 2 tool failure).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use lantern::model::diagnostic;
use lantern::{Build, Error, Options};

/// mimalloc: a build makes and drops millions of small strings and values on every core,
/// where it is faster than the system allocator. Heap profilers such as valgrind's massif
/// need the system allocator: build with `RUSTFLAGS='--cfg lantern_system_alloc'`.
#[cfg(not(lantern_system_alloc))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    /// Preview the site while you write: builds in memory, serves it and reloads on changes
    Serve {
        /// The library folder holding content/ and optionally themes/
        #[arg(long, value_name = "DIR", default_value = ".")]
        root: PathBuf,
        /// Port to listen on (0 for any free port)
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Address to listen on; the default keeps the preview to this computer
        #[arg(long, value_name = "ADDRESS", default_value = "127.0.0.1")]
        bind: String,
        /// Open the site in the default browser
        #[arg(long)]
        open: bool,
        /// Include documents whose status is draft
        #[arg(long)]
        drafts: bool,
    },
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
    /// A pull request's base (a git ref): check reports only findings in what changed
    /// since it, adding the version rules; build also writes pull-request/index.html
    #[arg(long, value_name = "REF")]
    since: Option<String>,
    /// How to print diagnostics: human (with the source line), json, or github (workflow
    /// commands that annotate a pull request)
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
    /// Count warnings as errors
    #[arg(long)]
    deny_warnings: bool,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Human,
    Json,
    Github,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build(c) => build(&c, true),
        Command::Check(c) => build(&c, false),
        Command::Serve {
            root,
            port,
            bind,
            open,
            drafts,
        } => lantern::serve::serve(&lantern::serve::ServeOptions {
            root,
            bind,
            port,
            drafts,
            open,
        })
        .map(|()| ExitCode::SUCCESS),
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
        deny_warnings: c.deny_warnings,
    };
    let out = c.out.clone().unwrap_or_else(|| c.root.join("public"));
    lantern::output::check_place(&c.root, &out)?;
    // Pages that would come out as the last build made them are kept, not rendered again.
    let previous = lantern::output::Previous::read(&out);
    let mut staging = match write {
        true => Some(lantern::output::Staging::begin(&out)?),
        false => None,
    };
    for note in staging.iter().flat_map(|s| s.notes()) {
        eprintln!("note: {note}");
    }
    let mut discard = lantern::model::site::Discard;
    let sink: &mut dyn lantern::model::site::Sink = match staging.as_mut() {
        Some(s) => s,
        None => &mut discard,
    };
    let built = lantern::build_into(&options, &previous, sink);
    let mut build = match built {
        Ok(build) => build,
        // What the failed build wrote goes.
        Err(err) => {
            if let Some(staging) = staging {
                staging.discard();
            }
            return Err(err);
        }
    };
    for note in &build.notes {
        eprintln!("note: {note}");
    }
    // A pull request's check reports what the change touches; a build must hold everywhere.
    if let (false, Some(changes)) = (write, &build.changes) {
        build.diagnostics.retain(|d| changes.covers(d));
    }
    // A closed pipe (`lantern check --format json | head`) is not a failure.
    match c.format {
        Format::Human => report(&build),
        Format::Json => {
            let json = diagnostic::render_json(&build.diagnostics);
            let _ = writeln!(std::io::stdout(), "{json}");
        }
        Format::Github => {
            let prefix = repository_prefix(&c.root);
            let lines = diagnostic::render_github(&build.diagnostics, &prefix);
            let _ = write!(std::io::stdout(), "{lines}");
            report_summary(&build);
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
    report_summary(build);
}

/// Where the library folder sits in its git repository (`library/` or nothing), since
/// annotations name files from the repository's top.
fn repository_prefix(root: &std::path::Path) -> String {
    std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["rev-parse", "--show-prefix"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}

fn report_summary(build: &Build) {
    if build.diagnostics.is_empty() {
        return;
    }
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
