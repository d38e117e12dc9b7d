//! placeholder until the emitter writes this crate
