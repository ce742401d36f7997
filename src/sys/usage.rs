//! What a build asks of the system besides files: today's date for review dates, and, for
//! profiling, how long each stage took and the memory held after it; and letting go of
//! long lists on every core.

use crate::model::date;

/// Runs `f`, and when the environment variable `LANTERN_TIMINGS` is set, reports on standard
/// error how long the stage `name` took. For profiling builds; the output never changes.
pub fn timed<T>(name: &str, f: impl FnOnce() -> T) -> T {
    if std::env::var_os("LANTERN_TIMINGS").is_none() {
        return f();
    }
    let start = std::time::Instant::now();
    let cpu = cpu_seconds();
    let value = f();
    eprintln!(
        "timing: {name} {:.3} s ({:.3} s CPU), then {} MB resident",
        start.elapsed().as_secs_f64(),
        cpu_seconds() - cpu,
        resident_mb()
    );
    value
}

/// Lets go of a long list on every core: freeing the values of ten thousand documents one
/// after another would leave the other core idle at the end of a build.
pub fn free<T: Send>(list: Vec<T>) {
    use rayon::prelude::*;
    list.into_par_iter().for_each(drop);
}

/// The memory this process holds now, in MB (Linux; 0 elsewhere), for [`timed`].
fn resident_mb() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    pages * 4096 / 1_000_000
}

/// The CPU time this process has used so far, user and system, in seconds (Linux; 0
/// elsewhere), for [`timed`].
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command name, which is in parentheses and may hold spaces.
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let ticks: u64 = after
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|t| t.parse::<u64>().ok())
        .sum();
    // Linux reports in clock ticks of USER_HZ, which is 100 on every architecture it supports.
    ticks as f64 / 100.0
}

/// Today, for review dates: the day of `SOURCE_DATE_EPOCH` when it is set (the
/// reproducible-builds convention), otherwise the system clock's.
pub fn today() -> date::Date {
    let epoch = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok());
    let now = epoch.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64)
    });
    date::Date::from_unix(now)
}
