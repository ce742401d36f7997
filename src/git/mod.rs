//! Git: the library's past. [`history`] reads the first-parent history once, [`versions`]
//! works out each document's revisions and versions from it, and [`since`] finds what a
//! pull request changed. The only stage that runs git.

pub mod history;
pub mod since;
pub mod versions;
