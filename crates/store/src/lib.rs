//! qoder-store
