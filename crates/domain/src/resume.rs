//! A parsed resume: what the analysis engine read out of a file.

use serde::{Deserialize, Serialize};

crate::named_enum! {
    /// The file formats we read. Detected from the bytes, never from the file name.
    pub enum FileFormat {
        Pdf = "pdf",
        Docx = "docx",
        Txt = "txt",
    }
}

crate::named_enum! {
    /// The formats a stored version is exported in.
    pub enum ExportFormat {
        /// The file as imported.
        Original = "original",
        /// The extracted text.
        Text = "text" | "txt",
        /// JSON Resume v1.0.0.
        JsonResume = "json-resume" | "json",
    }
}

/// Facts about the file itself that an ATS cares about (layout elements it may drop).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DocumentFacts {
    pub format: Option<FileFormat>,
    pub file_name: Option<String>,
    pub bytes: u64,
    /// Pages (PDF); `None` where the format has no pages.
    pub pages: Option<u32>,
    /// The largest number of text columns found on a page (1 for a classic layout).
    pub columns: u32,
    pub tables: u32,
    pub images: u32,
    pub text_boxes: u32,
    /// Text found in page headers or footers and not in the body: DOCX header/footer parts; a
    /// PDF's running lines repeated on later pages (their first occurrence stays in the body).
    pub header_footer_text: Vec<String>,
    /// Which extractor produced the text (for diagnostics).
    pub extractor: String,
    /// Targets of the file's links (PDF link annotations: `mailto:`, `tel:`, web addresses), in
    /// page order: the address behind "LinkedIn" or behind an email cut short by the layout.
    #[serde(default)]
    pub link_targets: Vec<String>,
}

/// A month-precision date as resumes write them. `month` is 1-12 when known.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u8>,
}

impl PartialDate {
    /// Months since year 0, taking a missing month as January (start) or the given default.
    pub fn months(self, default_month: u8) -> i32 {
        self.year * 12 + i32::from(self.month.unwrap_or(default_month)) - 1
    }

    /// ISO 8601 as JSON Resume writes it: `2021-03` or `2021`.
    pub fn iso(self) -> String {
        match self.month {
            Some(m) => format!("{:04}-{:02}", self.year, m),
            None => format!("{:04}", self.year),
        }
    }
}

crate::named_enum! {
    /// The kinds of section a resume has. Unknown headings are kept as `Custom`.
    #[derive(PartialOrd, Ord)]
    pub enum SectionKind {
        /// The lines before the first heading: name and contact details.
        Header = "header",
        Summary = "summary",
        Experience = "experience",
        Education = "education",
        Skills = "skills",
        Projects = "projects",
        Certifications = "certifications",
        Awards = "awards",
        Publications = "publications",
        Languages = "languages",
        Volunteering = "volunteering",
        Interests = "interests",
        References = "references",
        Custom = "custom",
    }
}

/// One section of the resume: its heading as written and its lines.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Section {
    pub kind: SectionKind,
    /// The heading as written in the file; empty for the header block.
    pub heading: String,
    pub lines: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    Linkedin,
    Github,
    Gitlab,
    Stackoverflow,
    Twitter,
    Portfolio,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Link {
    pub kind: LinkKind,
    pub url: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Contact {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub location: Option<String>,
    pub links: Vec<Link>,
}

/// One position held.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Experience {
    pub employer: Option<String>,
    pub title: Option<String>,
    pub location: Option<String>,
    pub start: Option<PartialDate>,
    pub end: Option<PartialDate>,
    /// The end is written as "Present", "Current", "Now"…
    pub current: bool,
    pub bullets: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Education {
    pub institution: Option<String>,
    /// The degree as written ("Bachelor of Science", "MSc", "PhD").
    pub degree: Option<String>,
    /// The field of study ("Computer Science").
    pub field: Option<String>,
    pub location: Option<String>,
    pub start: Option<PartialDate>,
    pub end: Option<PartialDate>,
    pub gpa: Option<String>,
}

crate::named_enum! {
    /// Broad families of skills in the taxonomy.
    #[derive(PartialOrd, Ord)]
    pub enum SkillCategory {
        ProgrammingLanguage = "programming_language",
        Framework = "framework",
        Library = "library",
        Database = "database",
        Cloud = "cloud",
        Devops = "devops",
        Tool = "tool",
        Data = "data",
        MachineLearning = "machine_learning",
        Security = "security",
        Mobile = "mobile",
        Testing = "testing",
        Design = "design",
        Methodology = "methodology",
        Business = "business",
        Finance = "finance",
        Marketing = "marketing",
        Sales = "sales",
        Healthcare = "healthcare",
        Legal = "legal",
        Education = "education",
        Engineering = "engineering",
        Hr = "hr",
        Operations = "operations",
        Language = "language",
        Soft = "soft",
        Other = "other",
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum SkillKind {
    Hard,
    Soft,
}

/// A skill from the taxonomy found in the resume, with where it was found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SkillMention {
    /// The canonical name ("Kubernetes" for "k8s").
    pub name: String,
    pub category: SkillCategory,
    pub kind: SkillKind,
    /// The sections it appears in, in resume order, without repeats.
    pub sections: Vec<SectionKind>,
    /// How many times it appears.
    pub count: u32,
    /// The spellings found in the text ("k8s", "Kubernetes").
    pub surface_forms: Vec<String>,
}

/// Everything read out of one resume file.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ParsedResume {
    pub contact: Contact,
    pub summary: Option<String>,
    pub sections: Vec<Section>,
    pub experience: Vec<Experience>,
    pub education: Vec<Education>,
    pub skills: Vec<SkillMention>,
    pub document: DocumentFacts,
    /// The extracted text in reading order, one line per visual line.
    pub text: String,
    /// How sure the parser is of each contact field and position it read, with the line it
    /// read it from; fields under [`FieldConfidence::CONFIRM_BELOW`] are shown to the user to
    /// confirm or correct.
    #[serde(default)]
    pub confidence: Vec<FieldConfidence>,
}

/// How sure the parser is of one field, and why.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FieldConfidence {
    /// The field: `name`, `email`, `phone`, `location`, `experience[0].title`,
    /// `experience[0].employer`, `experience[0].dates`.
    pub field: String,
    /// The value read (`None` when nothing was found).
    pub value: Option<String>,
    /// 0–1.
    pub confidence: f32,
    /// The line of the resume the value was read from.
    pub source_line: Option<String>,
    /// Why the confidence is what it is, in words for the user.
    pub reason: String,
}

impl FieldConfidence {
    /// Fields below this are shown to the user to confirm.
    pub const CONFIRM_BELOW: f32 = 0.7;

    pub fn needs_confirmation(&self) -> bool {
        self.confidence < Self::CONFIRM_BELOW
    }
}

impl ParsedResume {
    pub fn section(&self, kind: SectionKind) -> Option<&Section> {
        self.sections.iter().find(|s| s.kind == kind)
    }
}
