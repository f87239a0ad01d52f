//! qoder-core
