//! Word lists the parsers and the ATS report read: one static slice per `models/words/*.txt`
//! file (`ACTION_VERBS` from `action_verbs.txt`, …), compiled in by build.rs, so the program
//! reads no file at run time. Edit the lists there.

include!(concat!(env!("OUT_DIR"), "/words.rs"));
