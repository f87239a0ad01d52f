//! The store benchmark: 100,000 jobs and 2,000 resume versions, then the latency of listing
//! (filter + sort + page), of full-text search, and the time to import 10,000 jobs from CSV.
//!
//! `cargo run --release -p qoder-core --bin bench-store [-- JOBS VERSIONS]`
//! Targets: list p99 < 5 ms, search p99 < 20 ms, 10,000-row CSV import < 2 s.

use chrono::{Duration, TimeZone, Utc};
use qoder_analysis::AnalyzeOptions;
use qoder_core::resume::Family;
use qoder_core::{Config, Store, job, jobs_csv, resume};
use qoder_domain::job::{
    DateField, JobFilter, JobSort, JobSortField, JobStatus, PageRequest, SortOrder,
};
use std::time::Instant;

/// Makes the arguments of one list query.
type Scenario = dyn Fn(&mut Rng) -> (JobFilter, JobSort, PageRequest);

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// Skewed towards small indexes, like word frequencies.
    fn skewed(&mut self, n: usize) -> usize {
        let u = (self.next() % 1_000_000) as f64 / 1_000_000.0;
        ((u * u) * n as f64) as usize
    }
}

const TECH: &[&str] = &[
    "rust",
    "go",
    "python",
    "java",
    "kotlin",
    "typescript",
    "react",
    "kubernetes",
    "docker",
    "terraform",
    "aws",
    "gcp",
    "azure",
    "postgresql",
    "mysql",
    "redis",
    "kafka",
    "spark",
    "airflow",
    "graphql",
    "grpc",
    "linux",
    "security",
    "payments",
    "fintech",
    "healthcare",
    "ecommerce",
    "ml",
    "pytorch",
    "tensorflow",
    "scala",
    "elixir",
    "ruby",
    "rails",
    "django",
    "flask",
    "node",
    "vue",
    "angular",
    "swift",
    "android",
    "ios",
    "embedded",
    "firmware",
    "networking",
    "observability",
    "prometheus",
    "grafana",
    "ansible",
    "jenkins",
];
const TITLES: &[&str] = &[
    "Backend Engineer",
    "Frontend Developer",
    "Data Engineer",
    "DevOps Engineer",
    "Rust Engineer",
    "Platform Engineer",
    "SRE",
    "Mobile Developer",
    "ML Engineer",
    "Security Engineer",
    "Engineering Manager",
    "QA Engineer",
];

fn vocab() -> Vec<String> {
    let mut v: Vec<String> = TECH.iter().map(|s| s.to_string()).collect();
    let syll = ["ka", "lo", "mi", "ra", "te", "vu", "sen", "dor", "pix", "qua", "zel", "bri"];
    for a in syll {
        for b in syll {
            for c in ["n", "s", "x", "l"] {
                v.push(format!("{a}{b}{c}"));
            }
        }
    }
    v
}

fn csv_rows(rng: &mut Rng, vocab: &[String], n: usize, tag: &str) -> String {
    let mut out = String::from(
        "title,company,vendor_name,vendor_contact,rate_amount,rate_currency,rate_period,rate_kind,status,created_at,updated_at,description,notes\n",
    );
    let base = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).single().unwrap_or_default();
    for i in 0..n {
        let created = base + Duration::minutes(rng.below(2 * 365 * 24 * 60) as i64);
        let updated = created + Duration::minutes(rng.below(60 * 24 * 60) as i64);
        let status = JobStatus::ALL[rng.below(JobStatus::ALL.len())];
        let (amount, period) = match rng.below(3) {
            0 => (40 + rng.below(120), "hour"),
            1 => (300 + rng.below(700), "day"),
            _ => (50_000 + rng.below(150_000), "year"),
        };
        let desc: Vec<&str> = (0..40).map(|_| vocab[rng.skewed(vocab.len())].as_str()).collect();
        let notes: Vec<&str> = (0..5).map(|_| vocab[rng.below(vocab.len())].as_str()).collect();
        out.push_str(&format!(
            "{} {tag}{i},Company {},Vendor {},Contact {},{amount},USD,{period},{},{},{},{},{},{}\n",
            TITLES[rng.below(TITLES.len())],
            rng.below(2000),
            rng.below(60),
            rng.below(300),
            if rng.below(2) == 0 { "bill" } else { "pay" },
            status.as_str(),
            created.to_rfc3339(),
            updated.to_rfc3339(),
            desc.join(" "),
            notes.join(" "),
        ));
    }
    out
}

fn pct(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i.min(v.len() - 1)]
}

fn report(name: &str, mut ms: Vec<f64>) -> f64 {
    let (p50, p99, max) = (pct(&mut ms, 0.5), pct(&mut ms, 0.99), pct(&mut ms, 1.0));
    println!(
        "  {name:<58} p50 {p50:>7.3} ms   p99 {p99:>7.3} ms   max {max:>7.3} ms   (n={})",
        ms.len()
    );
    p99
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let jobs: usize = args.next().map(|a| a.parse()).transpose()?.unwrap_or(100_000);
    let versions: usize = args.next().map(|a| a.parse()).transpose()?.unwrap_or(2_000);
    let dir = std::env::temp_dir().join(format!("qoder-bench-store-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut store = Store::open(&dir)?;
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let vocab = vocab();

    println!("Building {jobs} jobs and {versions} resume versions in {}", dir.display());
    let t = Instant::now();
    let csv = csv_rows(&mut rng, &vocab, jobs, "b");
    let r = jobs_csv::import(&mut store, csv.as_bytes())?;
    println!("  {} jobs imported in {:.2} s", r.created, t.elapsed().as_secs_f64());

    let t = Instant::now();
    let opts = AnalyzeOptions { today: (2026, 11), ..AnalyzeOptions::default() };
    let mut families = Vec::new();
    for i in 0..versions {
        let mut o = opts.clone();
        o.file_name = Some(format!("resume-{}.txt", i / 10));
        let bullets: Vec<String> = (0..8)
            .map(|_| {
                (0..12)
                    .map(|_| vocab[rng.skewed(vocab.len())].as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        let text = format!(
            "Person {i}\nperson{i}@example.com | +1 555 010 {i:04}\n\nSummary\nEngineer {i}.\n\nExperience\nCompany {i} — Engineer, Jan 2020 – Present\n• {}\n\nSkills\nRust, SQL\n",
            bullets.join("\n• ")
        );
        let family = if i % 10 == 0 { Family::New } else { Family::Existing(families[i / 10]) };
        let out = resume::import(&mut store, text.as_bytes(), family, &o, &Config::default())?;
        if i % 10 == 0 {
            families.push(out.version.resume_id);
        }
    }
    println!("  {versions} versions imported (analysed) in {:.2} s", t.elapsed().as_secs_f64());
    store.optimize()?;
    let total = job::list(
        &store,
        &JobFilter::default(),
        JobSort::default(),
        PageRequest { page: 1, limit: 1 },
    )?
    .total;
    println!("  jobs in the database: {total}");

    println!("\nList with filter + sort + page (500 runs each):");
    let now = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).single().unwrap_or_default();
    let mut all = Vec::new();
    let scenarios: Vec<(&str, Box<Scenario>)> = vec![
        (
            "status = S, sort updatedAt desc, page 1-5 × 20",
            Box::new(|r: &mut Rng| {
                (
                    JobFilter { status: vec![JobStatus::ALL[r.below(9)]], ..JobFilter::default() },
                    JobSort { field: JobSortField::UpdatedAt, order: SortOrder::Desc },
                    PageRequest { page: 1 + r.below(5) as u32, limit: 20 },
                )
            }),
        ),
        (
            "status = S, sort jobTitle asc, limit 100",
            Box::new(|r: &mut Rng| {
                (
                    JobFilter { status: vec![JobStatus::ALL[r.below(9)]], ..JobFilter::default() },
                    JobSort { field: JobSortField::JobTitle, order: SortOrder::Asc },
                    PageRequest { page: 1, limit: 100 },
                )
            }),
        ),
        (
            "vendor ~ partial, sort rate desc, page 1-3 × 50",
            Box::new(|r: &mut Rng| {
                (
                    JobFilter {
                        vendor: Some(format!("ndor {}", r.below(60))),
                        ..JobFilter::default()
                    },
                    JobSort { field: JobSortField::Rate, order: SortOrder::Desc },
                    PageRequest { page: 1 + r.below(3) as u32, limit: 50 },
                )
            }),
        ),
        (
            "vendor ~ partial + status, sort vendorName asc",
            Box::new(|r: &mut Rng| {
                (
                    JobFilter {
                        vendor: Some(format!("Vendor {}", r.below(6))),
                        status: vec![JobStatus::ALL[r.below(9)]],
                        ..JobFilter::default()
                    },
                    JobSort { field: JobSortField::VendorName, order: SortOrder::Asc },
                    PageRequest { page: 1, limit: 20 },
                )
            }),
        ),
        (
            "company = C, sort createdAt desc",
            Box::new(|r: &mut Rng| {
                (
                    JobFilter {
                        company: Some(format!("company {}", r.below(2000))),
                        ..JobFilter::default()
                    },
                    JobSort { field: JobSortField::CreatedAt, order: SortOrder::Desc },
                    PageRequest { page: 1, limit: 20 },
                )
            }),
        ),
        (
            "status + created in a 30-day range, sort createdAt asc",
            Box::new(move |r: &mut Rng| {
                let from = now - Duration::days(30 + r.below(600) as i64);
                (
                    JobFilter {
                        status: vec![JobStatus::ALL[r.below(9)]],
                        date_field: DateField::CreatedAt,
                        from: Some(from),
                        to: Some(from + Duration::days(30)),
                        ..JobFilter::default()
                    },
                    JobSort { field: JobSortField::CreatedAt, order: SortOrder::Asc },
                    PageRequest { page: 1, limit: 20 },
                )
            }),
        ),
        (
            "no filter, sort rate asc, page 1-50 × 20",
            Box::new(|r: &mut Rng| {
                (
                    JobFilter::default(),
                    JobSort { field: JobSortField::Rate, order: SortOrder::Asc },
                    PageRequest { page: 1 + r.below(50) as u32, limit: 20 },
                )
            }),
        ),
    ];
    let mut worst_list: f64 = 0.0;
    for (name, make) in &scenarios {
        let mut ms = Vec::new();
        for _ in 0..500 {
            let (f, s, p) = make(&mut rng);
            let t = Instant::now();
            let page = job::list(&store, &f, s, p)?;
            ms.push(t.elapsed().as_secs_f64() * 1000.0);
            std::hint::black_box(page);
        }
        all.extend(ms.iter().copied());
        worst_list = worst_list.max(report(name, ms));
    }
    let all_p99 = report("all list queries", all);

    println!("\nFull-text search (500 runs each):");
    let mut ms = Vec::new();
    for _ in 0..500 {
        let q = if rng.below(2) == 0 {
            vocab[rng.below(vocab.len())].clone()
        } else {
            format!("{} {}", vocab[rng.below(vocab.len())], vocab[rng.below(vocab.len())])
        };
        let t = Instant::now();
        std::hint::black_box(qoder_core::search(&store, &q, 20)?);
        ms.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let search_p99 = report("search jobs + resumes, best 20 (1-2 random words)", ms);
    let mut ms = Vec::new();
    for _ in 0..500 {
        let f = JobFilter {
            text: Some(vocab[rng.below(vocab.len())].clone()),
            status: vec![JobStatus::ALL[rng.below(9)]],
            ..JobFilter::default()
        };
        let t = Instant::now();
        std::hint::black_box(job::list(
            &store,
            &f,
            JobSort::default(),
            PageRequest { page: 1, limit: 20 },
        )?);
        ms.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let text_list_p99 = report("list with text filter + status, sort updatedAt desc", ms);

    println!("\nCSV import:");
    let csv = csv_rows(&mut rng, &vocab, 10_000, "i");
    let t = Instant::now();
    let r = jobs_csv::import(&mut store, csv.as_bytes())?;
    let import_s = t.elapsed().as_secs_f64();
    println!(
        "  {} jobs from CSV ({} KB) into a {}-job database in {import_s:.3} s",
        r.created,
        csv.len() / 1024,
        total
    );

    println!("\nTargets:");
    let ok = |b: bool| if b { "ok" } else { "MISSED" };
    println!(
        "  list p99 (worst scenario) {worst_list:.3} ms, all {all_p99:.3} ms  < 5 ms   {}",
        ok(worst_list < 5.0)
    );
    println!(
        "  search p99 {search_p99:.3} ms, text list p99 {text_list_p99:.3} ms  < 20 ms   {}",
        ok(search_p99.max(text_list_p99) < 20.0)
    );
    println!("  CSV import of 10,000 jobs {import_s:.3} s  < 2 s   {}", ok(import_s < 2.0));
    store.integrity_check()?;
    drop(store);
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
