//! Function and level: the occupation family of a job title, and the level a position shows.
//!
//! The families are coarse (software, data, nursing & healthcare, sales…) and are read from
//! titles with a small hand-made table of title phrases ([`FAMILIES`]): O*NET-SOC and ESCO
//! alternate-title lists were not obtainable offline here, so the table is written from their
//! major groups, most common titles first. A title names the family of its most specific
//! (longest) phrase: "Technical Program Manager" is project management, "Data Engineer" data,
//! "Mechanical Engineer" engineering.
//!
//! Levels (individual contributor, lead, manager, director, executive) come from the title and
//! from scope shown in the bullets (team size, direct reports, hiring, budget, P&L): a title
//! that claims more than its bullets show is read at the level shown.

use qoder_domain::matching::Seniority;
use regex::Regex;
use std::sync::LazyLock;

/// Coarse occupation families.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Family {
    Software,
    Data,
    ItSupport,
    Security,
    Product,
    Project,
    Design,
    Sales,
    Marketing,
    Finance,
    Hr,
    Operations,
    Healthcare,
    Legal,
    Education,
    Hospitality,
    Trades,
    Engineering,
    CustomerSupport,
    Admin,
    Research,
    SocialCare,
    Executive,
}

impl Family {
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Software => "software engineering",
            Family::Data => "data & analytics",
            Family::ItSupport => "IT support & systems",
            Family::Security => "information security",
            Family::Product => "product management",
            Family::Project => "project & program management",
            Family::Design => "design",
            Family::Sales => "sales",
            Family::Marketing => "marketing",
            Family::Finance => "finance & accounting",
            Family::Hr => "HR & recruiting",
            Family::Operations => "operations & logistics",
            Family::Healthcare => "healthcare",
            Family::Legal => "legal",
            Family::Education => "education",
            Family::Hospitality => "hospitality & food",
            Family::Trades => "skilled trades",
            Family::Engineering => "engineering (non-software)",
            Family::CustomerSupport => "customer support",
            Family::Admin => "administration",
            Family::Research => "research & science",
            Family::SocialCare => "social care",
            Family::Executive => "general management",
        }
    }
}

/// Title phrases per family, lowercase, words separated by single spaces (punctuation is read
/// as a space: "front-end" is "front end").
pub const FAMILIES: &[(Family, &[&str])] = &[
    (
        Family::Software,
        &[
            "software engineer",
            "software developer",
            "software development",
            "developer",
            "programmer",
            "frontend",
            "front end",
            "backend",
            "back end",
            "full stack",
            "fullstack",
            "web developer",
            "mobile developer",
            "ios developer",
            "android developer",
            "devops",
            "site reliability",
            "sre",
            "platform engineer",
            "infrastructure engineer",
            "cloud engineer",
            "qa engineer",
            "test engineer",
            "qa automation",
            "sdet",
            "quality assurance engineer",
            "test automation",
            "software tester",
            "qa analyst",
            "engineering manager",
            "head of engineering",
            "vp engineering",
            "vp of engineering",
            "director of engineering",
            "cto",
            "chief technology officer",
            "tech lead",
            "technical lead",
            "software architect",
            "solutions architect",
            "embedded software",
            "game developer",
            "react developer",
            "java developer",
            "python developer",
            "rust engineer",
            "golang developer",
            "hadoop engineer",
            "build engineer",
            "release engineer",
            "firmware engineer",
            "coder",
        ],
    ),
    (
        Family::Data,
        &[
            "data scientist",
            "data science",
            "data analyst",
            "data engineer",
            "analytics engineer",
            "machine learning",
            "ml engineer",
            "ml",
            "ai engineer",
            "deep learning",
            "nlp engineer",
            "bi developer",
            "bi analyst",
            "business intelligence",
            "analytics",
            "statistician",
            "quantitative analyst",
            "data architect",
            "head of data",
            "business analyst",
            "reporting analyst",
            "insights analyst",
            "big data",
            "etl developer",
            "applied scientist",
        ],
    ),
    (
        Family::ItSupport,
        &[
            "desktop support",
            "help desk",
            "helpdesk",
            "service desk",
            "it support",
            "it technician",
            "system administrator",
            "systems administrator",
            "sysadmin",
            "network administrator",
            "network engineer",
            "it administrator",
            "it specialist",
            "technical support",
            "it manager",
            "database administrator",
            "dba",
        ],
    ),
    (
        Family::Security,
        &[
            "security",
            "cybersecurity",
            "cyber security",
            "soc analyst",
            "penetration tester",
            "pentester",
            "security engineer",
            "security analyst",
            "ciso",
            "infosec",
        ],
    ),
    (
        Family::Product,
        &[
            "product manager",
            "product owner",
            "head of product",
            "product lead",
            "vp product",
            "vp of product",
            "director of product",
            "product management",
            "chief product officer",
            "cpo",
            "group product manager",
            "product director",
        ],
    ),
    (
        Family::Project,
        &[
            "project manager",
            "program manager",
            "programme manager",
            "scrum master",
            "delivery manager",
            "pmo",
            "project coordinator",
            "agile coach",
            "technical program manager",
            "tpm",
            "project lead",
            "project management",
            "program management",
        ],
    ),
    (
        Family::Design,
        &[
            "designer",
            "ux",
            "ui",
            "user experience",
            "user interface",
            "art director",
            "creative director",
            "graphic",
            "illustrator",
            "visual design",
            "design lead",
            "head of design",
            "ux researcher",
            "interaction design",
            "animator",
        ],
    ),
    (
        Family::Sales,
        &[
            "sales",
            "account executive",
            "account manager",
            "business development",
            "bdr",
            "sdr",
            "sales representative",
            "key account",
            "sales manager",
            "territory manager",
            "inside sales",
            "sales director",
            "chief revenue officer",
            "relationship manager",
            "sales engineer",
            "sales associate",
            "retail associate",
        ],
    ),
    (
        Family::Marketing,
        &[
            "marketing",
            "marketer",
            "seo",
            "sem",
            "content strategist",
            "content marketing",
            "content manager",
            "copywriter",
            "brand manager",
            "social media",
            "growth",
            "demand generation",
            "communications",
            "public relations",
            "pr manager",
            "cmo",
            "campaign manager",
            "digital marketing",
            "performance marketing",
        ],
    ),
    (
        Family::Finance,
        &[
            "accountant",
            "accounting",
            "controller",
            "financial controller",
            "finance",
            "financial analyst",
            "fp a",
            "auditor",
            "audit",
            "bookkeeper",
            "payroll",
            "tax",
            "treasury",
            "cfo",
            "chief financial officer",
            "accounts payable",
            "accounts receivable",
            "credit analyst",
            "investment analyst",
            "actuary",
            "finance manager",
            "cpa",
            "financial planning",
        ],
    ),
    (
        Family::Hr,
        &[
            "hr",
            "human resources",
            "recruiter",
            "recruiting",
            "talent acquisition",
            "people partner",
            "people operations",
            "hr business partner",
            "hrbp",
            "talent partner",
            "compensation",
            "benefits",
            "people manager",
            "chro",
            "learning and development",
            "l d",
            "head of people",
            "sourcer",
        ],
    ),
    (
        Family::Operations,
        &[
            "operations",
            "logistics",
            "supply chain",
            "warehouse",
            "procurement",
            "purchasing",
            "buyer",
            "inventory",
            "fulfillment",
            "fulfilment",
            "dispatcher",
            "operations manager",
            "plant manager",
            "production manager",
            "distribution",
            "fleet",
            "transport",
            "shipping",
            "planner",
            "coo",
            "chief operating officer",
            "forklift",
        ],
    ),
    (
        Family::Healthcare,
        &[
            "nurse",
            "nursing",
            "rn",
            "physician",
            "doctor",
            "pharmacist",
            "pharmacy",
            "physiotherapist",
            "physical therapist",
            "occupational therapist",
            "therapist",
            "medical",
            "clinical",
            "clinician",
            "paramedic",
            "midwife",
            "dentist",
            "dental",
            "radiographer",
            "surgeon",
            "care assistant",
            "healthcare assistant",
            "caregiver",
            "phlebotomist",
            "health",
            "psychologist",
            "dietitian",
        ],
    ),
    (
        Family::Legal,
        &[
            "lawyer",
            "attorney",
            "counsel",
            "legal",
            "paralegal",
            "solicitor",
            "barrister",
            "associate attorney",
            "general counsel",
            "compliance",
            "notary",
            "advocate",
        ],
    ),
    (
        Family::Education,
        &[
            "teacher",
            "teaching",
            "lecturer",
            "professor",
            "tutor",
            "instructor",
            "educator",
            "principal teacher",
            "head teacher",
            "school",
            "teaching assistant",
            "curriculum",
            "trainer",
        ],
    ),
    (
        Family::Hospitality,
        &[
            "chef",
            "cook",
            "sous chef",
            "head chef",
            "line cook",
            "kitchen",
            "waiter",
            "waitress",
            "server",
            "bartender",
            "barista",
            "restaurant",
            "hotel",
            "front desk",
            "housekeeping",
            "hospitality",
            "catering",
            "pastry",
        ],
    ),
    (
        Family::Trades,
        &[
            "electrician",
            "plumber",
            "carpenter",
            "welder",
            "mechanic",
            "technician",
            "hvac",
            "machinist",
            "joiner",
            "bricklayer",
            "painter",
            "installer",
            "maintenance",
            "apprentice electrician",
            "journeyman",
            "construction worker",
            "foreman",
            "fitter",
        ],
    ),
    (
        Family::Engineering,
        &[
            "engineer",
            "mechanical engineer",
            "civil engineer",
            "electrical engineer",
            "structural engineer",
            "chemical engineer",
            "process engineer",
            "manufacturing engineer",
            "design engineer",
            "project engineer",
            "industrial engineer",
            "quality engineer",
            "site engineer",
            "engineering",
        ],
    ),
    (
        Family::CustomerSupport,
        &[
            "customer support",
            "customer service",
            "customer success",
            "support specialist",
            "support agent",
            "call center",
            "call centre",
            "contact center",
            "client services",
            "customer care",
            "support representative",
            "customer experience",
        ],
    ),
    (
        Family::Admin,
        &[
            "administrative",
            "administrator",
            "admin",
            "office manager",
            "office coordinator",
            "receptionist",
            "executive assistant",
            "personal assistant",
            "secretary",
            "office administrator",
            "data entry",
            "clerk",
            "coordinator",
            "office assistant",
        ],
    ),
    (
        Family::Research,
        &[
            "research scientist",
            "researcher",
            "scientist",
            "postdoctoral",
            "postdoc",
            "laboratory",
            "lab technician",
            "chemist",
            "biologist",
            "physicist",
            "research associate",
            "research assistant",
        ],
    ),
    (
        Family::SocialCare,
        &[
            "social worker",
            "case manager",
            "youth worker",
            "support worker",
            "counselor",
            "counsellor",
            "social care",
            "care coordinator",
            "community worker",
        ],
    ),
    (
        Family::Executive,
        &[
            "ceo",
            "chief executive",
            "general manager",
            "managing director",
            "president",
            "founder",
            "co founder",
            "owner",
        ],
    ),
];

// Title words that name a family only when no more specific phrase does ("Backend Engineer" is
// software, "Engineer" alone engineering).
// The list is data: models/words/fit_generic_words.txt.
use crate::words::FIT_GENERIC_WORDS as GENERIC;

/// Families that share enough work that a move between them is a career switch, not a
/// different job.
const ADJACENT: &[(Family, Family)] = &[
    (Family::Software, Family::Data),
    (Family::Software, Family::ItSupport),
    (Family::Software, Family::Security),
    (Family::Software, Family::Project),
    (Family::Data, Family::Research),
    (Family::Data, Family::Finance),
    (Family::Data, Family::Product),
    (Family::ItSupport, Family::Security),
    (Family::ItSupport, Family::CustomerSupport),
    (Family::Product, Family::Project),
    (Family::Product, Family::Design),
    (Family::Product, Family::Marketing),
    (Family::Project, Family::Operations),
    (Family::Project, Family::Engineering),
    (Family::Sales, Family::Marketing),
    (Family::Sales, Family::CustomerSupport),
    (Family::Operations, Family::Admin),
    (Family::Operations, Family::Executive),
    (Family::Admin, Family::Hr),
    (Family::Admin, Family::CustomerSupport),
    (Family::Admin, Family::Finance),
    (Family::Engineering, Family::Trades),
    (Family::Healthcare, Family::SocialCare),
    (Family::Healthcare, Family::Research),
    (Family::Education, Family::SocialCare),
    (Family::Hospitality, Family::CustomerSupport),
    (Family::Finance, Family::Executive),
    (Family::Sales, Family::Executive),
];

pub fn adjacent(a: Family, b: Family) -> bool {
    ADJACENT.iter().any(|&(x, y)| (x == a && y == b) || (x == b && y == a))
}

/// " software engineer " — lowercase, punctuation as spaces, padded.
fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push(' ');
    let mut space = true;
    for c in s.chars() {
        if c.is_alphanumeric() || c == '+' || c == '#' {
            out.extend(c.to_lowercase());
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    if !space {
        out.push(' ');
    }
    out
}

/// The occupation family a title names (its longest phrase), if any.
pub fn family_of_title(title: &str) -> Option<Family> {
    let t = normalize(title);
    if t.trim().is_empty() || t.len() > 200 {
        return None;
    }
    let mut best: Option<(usize, Family)> = None;
    for (fam, phrases) in FAMILIES {
        for p in *phrases {
            // generic words name a family only when nothing more specific does
            let weight = if GENERIC.contains(p) { 1 } else { p.len() };
            if weight > best.map_or(0, |b| b.0) && t.contains(&format!(" {p} ")) {
                best = Some((weight, *fam));
            }
        }
    }
    best.map(|b| b.1)
}

/// Levels, individual contributor first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Level {
    Ic,
    Lead,
    Manager,
    Director,
    Executive,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Ic => "individual contributor",
            Level::Lead => "lead",
            Level::Manager => "manager",
            Level::Director => "director",
            Level::Executive => "executive",
        }
    }
}

/// "Product Manager", "Account Manager", "Case Manager": manager in name, individual
/// contributors in scope.
fn functional_manager(t: &str) -> bool {
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(product|project|program|programme|account|office|case|community|social media|success|content|brand|category|campaign|relationship|territory|delivery|key account|marketing|property|release|practice) manager\b")
            .expect("functional manager regex")
    });
    static SENIOR: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(senior manager|group|head|director|vp|chief|lead)\b")
            .expect("senior manager regex")
    });
    RE.is_match(t) && !SENIOR.is_match(t)
}

/// The level a title claims.
pub fn level_of_title(title: &str) -> Level {
    let s = crate::jd::seniority_of_title(title);
    match s {
        Some(Seniority::Executive) => Level::Executive,
        Some(Seniority::Director) => Level::Director,
        Some(Seniority::Manager) if functional_manager(title) => Level::Ic,
        Some(Seniority::Manager) => Level::Manager,
        Some(Seniority::Lead | Seniority::Staff | Seniority::Principal) => Level::Lead,
        _ => {
            if functional_manager(title) {
                Level::Ic
            } else if title
                .to_lowercase()
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| w == "manager")
            {
                Level::Manager
            } else {
                Level::Ic
            }
        }
    }
}

/// The level a set of bullets shows, from scope words.
pub fn level_of_bullets<'a>(bullets: impl IntoIterator<Item = &'a str>) -> Level {
    static TEAM: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:team|staff|crew|department|group|organi[sz]ation) of (\d{1,4})\b|\b(\d{1,4})[- ](?:person|people|member|strong)\b|\b(\d{1,4}) (?:direct reports|reports|engineers|developers|nurses|staff|employees|people|agents|associates|analysts|designers|managers|sales ?reps|representatives|technicians|teachers|workers|recruiters|accountants|consultants)\b")
            .expect("team regex")
    });
    static MANAGE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(managed|manage|manages|managing|supervised|supervise|supervising|led|lead|leading|leads|directed|oversaw|oversee|built and led|hired|grew the team|line manag\w*|people manag\w*|direct reports|performance reviews|headcount)\b")
            .expect("manage regex")
    });
    static PEOPLE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(team|teams|staff|reports|engineers|people|employees|nurses|agents|associates|analysts|managers|department|crew|hires|hired|headcount|recruited)\b")
            .expect("people regex")
    });
    static DIRECTOR: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(managers|multiple teams|several teams|(\d+|two|three|four|five|six) teams|department|division|organi[sz]ation|org of|p&l|p and l|profit and loss|company[- ]wide|strategy for the|head count)\b")
            .expect("director regex")
    });
    static BUDGET: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\bbudget\b|\$\s?\d+(?:\.\d+)?\s?(?:m|mm|million|bn|billion)\b|€\s?\d+(?:\.\d+)?\s?(?:m|million)\b")
            .expect("budget regex")
    });
    static OWN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(owned|own|owning|controlled|responsible for|accountable for|set)\b")
            .expect("own regex")
    });
    static EXEC: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(board of directors|the board|investors|executive team|c-suite|ipo|fundrais\w*|raised \$)")
            .expect("exec regex")
    });
    let mut level = Level::Ic;
    let (mut manage_people, mut director_signals, mut exec_signals) = (0, 0, 0);
    let mut largest_team = 0u32;
    for b in bullets {
        let manages = MANAGE.is_match(b) && PEOPLE.is_match(b);
        if manages {
            for c in TEAM.captures_iter(b) {
                let n: u32 = (1..=3)
                    .filter_map(|i| c.get(i))
                    .find_map(|m| m.as_str().parse().ok())
                    .unwrap_or(0);
                largest_team = largest_team.max(n);
            }
        }
        if manages {
            manage_people += 1;
            level = level.max(Level::Lead);
            if DIRECTOR.is_match(b) {
                director_signals += 1;
            }
        }
        if BUDGET.is_match(b) && (MANAGE.is_match(b) || OWN.is_match(b)) {
            director_signals += 1;
        }
        if EXEC.is_match(b) {
            exec_signals += 1;
        }
    }
    if largest_team >= 4 || manage_people >= 2 {
        level = level.max(Level::Manager);
    }
    if largest_team >= 25 || (director_signals >= 2 && manage_people >= 1) {
        level = level.max(Level::Director);
    }
    if exec_signals >= 1 && level >= Level::Director {
        level = Level::Executive;
    }
    level
}

/// The level a position is read at: the title's, unless it claims more than the bullets show,
/// then the bullets' (at least a lead: a manager title whose bullets say little is not read
/// as a junior). `true` when the title is inflated.
pub fn scored_level(title_level: Level, shown: Level) -> (Level, bool) {
    if title_level <= Level::Lead || shown >= title_level {
        return (title_level, false);
    }
    let read = shown.max(Level::Lead);
    // one step of shortfall for a manager title is common (bullets about the work, not the
    // team): only director and executive titles with lead-or-less evidence are inflation.
    if title_level == Level::Manager {
        return (title_level, false);
    }
    (read, read < title_level)
}

/// The [`Seniority`] a level corresponds to, for comparing with a JD's.
pub fn level_seniority(level: Level, ic: Option<Seniority>) -> Option<Seniority> {
    match level {
        // "Product Manager": manager in name, a mid-level individual contributor in scope
        Level::Ic => ic.map(|s| match s {
            Seniority::Manager | Seniority::Director | Seniority::Executive => Seniority::Mid,
            s => s,
        }),
        Level::Lead => Some(Seniority::Lead),
        Level::Manager => Some(Seniority::Manager),
        Level::Director => Some(Seniority::Director),
        Level::Executive => Some(Seniority::Executive),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_from_titles() {
        let f = |t: &str| family_of_title(t);
        assert_eq!(f("Senior Software Engineer"), Some(Family::Software));
        assert_eq!(f("Technical Program Manager"), Some(Family::Project));
        assert_eq!(f("Data Engineer"), Some(Family::Data));
        assert_eq!(f("Mechanical Engineer"), Some(Family::Engineering));
        assert_eq!(f("Registered Nurse, Cardiology"), Some(Family::Healthcare));
        assert_eq!(f("Front-End Developer"), Some(Family::Software));
        assert_eq!(f("Senior Product Manager"), Some(Family::Product));
        assert_eq!(f("Office Coordinator"), Some(Family::Admin));
        assert_eq!(f("Operations Manager"), Some(Family::Operations));
        assert_eq!(f("Head of Engineering"), Some(Family::Software));
        assert_eq!(f("Staff Accountant"), Some(Family::Finance));
        assert_eq!(f("Acme Corp"), None);
        assert!(adjacent(Family::Product, Family::Project));
        assert!(!adjacent(Family::Healthcare, Family::Software));
    }

    #[test]
    fn levels_from_titles_and_bullets() {
        assert_eq!(level_of_title("Senior Product Manager"), Level::Ic);
        assert_eq!(level_of_title("Engineering Manager"), Level::Manager);
        assert_eq!(level_of_title("Head of Engineering"), Level::Director);
        assert_eq!(level_of_title("VP Sales"), Level::Executive);
        assert_eq!(level_of_bullets(["Wrote Rust services", "Fixed bugs"]), Level::Ic);
        assert_eq!(
            level_of_bullets(["Managed a team of 8 engineers and ran hiring"]),
            Level::Manager
        );
        assert_eq!(
            level_of_bullets([
                "Led 5 managers across an organization of 60 engineers",
                "Owned a $4M budget and the department roadmap",
            ]),
            Level::Director
        );
        let (read, inflated) = scored_level(Level::Director, Level::Ic);
        assert!(inflated);
        assert_eq!(read, Level::Lead);
        assert_eq!(scored_level(Level::Ic, Level::Ic), (Level::Ic, false));
    }
}
