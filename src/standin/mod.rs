//! Local HTTP servers that speak the protocols of the services this shop talks to, for tests
//! (and, later, the sandbox): they record every call and can be told to fail.

pub mod pakasir;
pub mod telegram;
