//! The `haowen` binary's library half: configuration, the importer, the demo site and one
//! module per subcommand. Kept as a library so integration tests call the same code the CLI
//! runs.

pub mod commands;
pub mod config;
pub mod demo;
pub mod import;
