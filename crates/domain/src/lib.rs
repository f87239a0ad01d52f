//! Types shared by every part of QoderResume.
//!
//! This crate does no IO. Types that cross a boundary (CLI JSON, Tauri commands, HTTP) derive
//! serde and are the contract; change them with care.
#![forbid(unsafe_code)]

pub mod ats;
pub mod billing;
pub mod bulk;
pub mod bullet;
pub mod calendar;
pub mod dashboard;
pub mod error;
pub mod ids;
pub mod job;
pub mod json_resume;
pub mod matching;
pub mod names;
pub mod resume;
pub mod suggest;
pub mod sync;
pub mod version;

pub use ats::{AtsCheck, AtsReport, CheckStatus};
pub use error::{CodedError, ErrorBody, ErrorCode};
pub use resume::{
    Contact, DocumentFacts, Education, Experience, FieldConfidence, FileFormat, Link, LinkKind,
    ParsedResume, PartialDate, Section, SectionKind, SkillCategory, SkillKind, SkillMention,
};
