//! Local HTTP servers that speak the protocols of the services this shop talks to, for tests,
//! benchmarks and the load generator: they record every call and can be told to fail. A
//! simulated customer (`shopper`) and the load generator (`load`) drive them.

pub mod load;
pub mod pakasir;
pub mod shopper;
pub mod telegram;
