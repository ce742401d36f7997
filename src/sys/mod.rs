//! What the tool asks of the operating system, in one place: opening the library's files
//! safely ([`files`]), and the clock and the process's own usage ([`usage`]).

pub mod files;
pub mod usage;
