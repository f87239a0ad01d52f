//! One source for the names of each closed set of values (a job's status, a work mode…): the
//! name written once next to its variant gives `as_str`, `parse`, serde, the TypeScript type
//! (ts-rs) and, behind the `clap` feature, the CLI's `ValueEnum` (its possible values and
//! errors). Nothing else spells the names.

/// Declares a unit enum whose variants each have one wire name, and optional extra spellings
/// accepted on input (`Onsite = "onsite" | "on-site"`).
#[macro_export]
macro_rules! named_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $(
                $(#[$vmeta:meta])*
                $variant:ident = $text:literal $(| $alias:literal)*
            ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
        pub enum $name {
            $(
                $(#[$vmeta])*
                #[cfg_attr(feature = "ts", ts(rename = $text))]
                $variant,
            )+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: [$name; <[&str]>::len(&[$($text),+])] = [$($name::$variant),+];

            /// The wire name (serde, the database, `--json`, the UI).
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }

            /// The value named `s`: its wire name or another accepted spelling, ignoring case,
            /// surrounding space, `-` and `_`.
            pub fn parse(s: &str) -> Option<Self> {
                let norm = |x: &str| x.trim().to_ascii_lowercase().replace(['-', '_'], "");
                let s = norm(s);
                $(
                    if s == norm($text) $(|| s == norm($alias))* {
                        return Some($name::$variant);
                    }
                )+
                None
            }

            /// The wire names, for error messages: "a, b, c".
            pub fn names() -> String {
                Self::ALL.map(Self::as_str).join(", ")
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                match &*s {
                    $($text => Ok($name::$variant),)+
                    other => Err(serde::de::Error::unknown_variant(other, &[$($text),+])),
                }
            }
        }

        #[cfg(feature = "clap")]
        impl clap::ValueEnum for $name {
            fn value_variants<'a>() -> &'a [Self] {
                &Self::ALL
            }

            fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
                let v = clap::builder::PossibleValue::new(self.as_str());
                Some(match self {
                    $($name::$variant => v $(.alias($alias))*,)+
                })
            }
        }
    };
}

#[cfg(test)]
mod tests {
    crate::named_enum! {
        /// A test set.
        pub enum Mode {
            Onsite = "onsite" | "on-site" | "office",
            FollowUp = "follow_up" | "followup",
        }
    }

    #[test]
    fn one_name_for_every_use() {
        assert_eq!(Mode::ALL, [Mode::Onsite, Mode::FollowUp]);
        assert_eq!(Mode::FollowUp.as_str(), "follow_up");
        assert_eq!(serde_json::to_string(&Mode::FollowUp).unwrap(), "\"follow_up\"");
        assert_eq!(serde_json::from_str::<Mode>("\"onsite\"").unwrap(), Mode::Onsite);
        // The wire is strict; input from people is lenient.
        assert!(serde_json::from_str::<Mode>("\"office\"").is_err());
        assert_eq!(Mode::parse(" Follow-Up "), Some(Mode::FollowUp));
        assert_eq!(Mode::parse("on-site"), Some(Mode::Onsite));
        assert_eq!(Mode::parse("office"), Some(Mode::Onsite));
        assert_eq!(Mode::parse("moon"), None);
        assert_eq!(Mode::names(), "onsite, follow_up");
    }

    /// The domain's sets named once: serde, `as_str` and `parse` agree for every value.
    #[test]
    fn the_domain_sets_are_named_once() {
        use crate::matching::Seniority;
        use crate::resume::{FileFormat, SectionKind, SkillCategory};
        use crate::suggest::GroundingKind;
        fn check<T: Copy + serde::Serialize + PartialEq + std::fmt::Debug>(
            all: &[T],
            name: fn(T) -> &'static str,
            parse: fn(&str) -> Option<T>,
        ) {
            for &v in all {
                assert_eq!(serde_json::to_string(&v).unwrap(), format!("\"{}\"", name(v)));
                assert_eq!(parse(name(v)), Some(v));
            }
        }
        check(&FileFormat::ALL, FileFormat::as_str, FileFormat::parse);
        check(&SectionKind::ALL, SectionKind::as_str, SectionKind::parse);
        check(&SkillCategory::ALL, SkillCategory::as_str, SkillCategory::parse);
        check(&Seniority::ALL, Seniority::as_str, Seniority::parse);
        check(&GroundingKind::ALL, GroundingKind::as_str, GroundingKind::parse);
        use crate::bulk::BulkExportFormat;
        use crate::resume::ExportFormat;
        check(&ExportFormat::ALL, ExportFormat::as_str, ExportFormat::parse);
        check(&BulkExportFormat::ALL, BulkExportFormat::as_str, BulkExportFormat::parse);
        // The CLI's --format, the desktop's version_export and the UI's type share these names.
        assert_eq!(ExportFormat::names(), "original, text, json-resume");
        assert_eq!(ExportFormat::parse("JSON"), Some(ExportFormat::JsonResume));
        assert_eq!(BulkExportFormat::names(), "csv, xlsx");
        assert_eq!(SkillCategory::ALL.len(), 27);
        assert_eq!(SkillCategory::parse("machine_learning"), Some(SkillCategory::MachineLearning));
        assert_eq!(FileFormat::names(), "pdf, docx, txt");
        assert!(Seniority::Intern < Seniority::Executive);
    }
}
