//! End-to-end tests against a real PostgreSQL: every test gets a fresh database (cloned from a
//! migrated template) and starts the real binary or the real library code.
//!
//! `TEST_DATABASE_URL` names a database to connect to for creating test databases (default:
//! `postgres://postgres@127.0.0.1:5432/postgres`).

mod admin;
mod backup;
mod bad_input;
mod browser;
mod catalog;
mod chaos;
mod chat;
mod cli;
mod dashboard;
mod delivery;
mod flood;
mod housekeeping;
mod ingress;
mod late;
mod load;
mod owner_alerts;
mod payments;
mod pg_restart;
mod prices;
mod private_pg;
mod queue;
mod reconcile;
mod sandbox;
mod schema;
mod seed;
mod shop;
mod support;
mod telegram;
mod texts_settings;
mod updates;
mod upgrade;
mod variants;
