//! Helpers for the import's integration tests: a fresh store per test (the backend picked by
//! ordo-store's `testing` feature), and documents built from JSON through `ingest` — the
//! store's own test fixtures.
#![allow(dead_code)] // each test file uses a different subset

pub use ordo_store::testing::fixtures::*;
