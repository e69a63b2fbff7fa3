//! Test support shared by the service's and the HTTP adapter's test suites (never a
//! dependency of a shipped crate).

pub mod backend;

pub use backend::Backend;
