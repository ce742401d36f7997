//! The `gen_library` example: parses the command line, runs the generator in `lib.rs`
//! and prints a one-line summary.
//!
//! ```text
//! cargo run --release --example gen_library -- N OUT_DIR [--seed S] [--force]
//! ```
//!
//! `--seed` defaults to 1. Without `--force` the generator refuses to touch a non-empty
//! `OUT_DIR/content/`; with it, it replaces one only if an earlier run made it (it holds the
//! `.generated-library` marker file).

use std::error::Error;
use std::path::PathBuf;
use std::process::ExitCode;

#[path = "lib.rs"]
mod generator;

struct Args {
    n: usize,
    out: PathBuf,
    seed: u64,
    force: bool,
}

const USAGE: &str = "usage: gen_library N OUT_DIR [--seed S] [--force]";

fn parse_args() -> Result<Args, Box<dyn Error>> {
    let mut positional = Vec::new();
    let mut seed = 1;
    let mut force = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if let Some(value) = arg.strip_prefix("--seed=") {
            seed = value
                .parse()
                .map_err(|_| format!("--seed: not a number: {value}"))?;
            continue;
        }
        match arg.as_str() {
            "--seed" => {
                let value = args.next().ok_or("--seed needs a value")?;
                seed = value
                    .parse()
                    .map_err(|_| format!("--seed: not a number: {value}"))?;
            }
            "--force" => force = true,
            "-h" | "--help" => return Err(USAGE.into()),
            _ if arg.starts_with('-') => {
                return Err(format!("unknown option {arg}\n{USAGE}").into());
            }
            _ => positional.push(arg),
        }
    }
    let [n, out] = <[String; 2]>::try_from(positional).map_err(|_| USAGE)?;
    let n = n
        .parse()
        .map_err(|_| format!("N: not a number: {n}\n{USAGE}"))?;
    Ok(Args {
        n,
        out: PathBuf::from(out),
        seed,
        force,
    })
}

fn main() -> ExitCode {
    let run = |args: Args| generator::generate(args.n, &args.out, args.seed, args.force);
    match parse_args().and_then(run) {
        Ok(stats) => {
            eprintln!("gen_library: {stats}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen_library: {e}");
            ExitCode::from(2)
        }
    }
}
