//! bot-auto-order: the binary's library, so tests and benchmarks start the real thing.

pub mod app;
pub mod backup_cmd;
pub mod cli;
pub mod config;
pub mod dashboard;
pub mod db;
pub mod doctor;
pub mod ingress;
pub mod jobs_cmd;
pub mod logging;
pub mod metrics_route;
pub mod pakasir_webhook;
pub mod sandbox;
pub mod standin;
pub mod store_cmd;
pub mod telegram;
