//! qoder-embed
