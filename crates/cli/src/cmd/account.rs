//! `qoder account …`: the plan and billing of the sync account this device is signed in to
//! (`qoder sync login`).
//!
//! - `qoder account status [--json]`: plan, status, renewal, usage of each limit.
//! - `qoder account usage [--json]`: usage of each limit and when it resets.
//! - `qoder account plans [--json]`: the plans and their limits.
//! - `qoder account upgrade [--plan pro_monthly|pro_quarterly|pro_halfyearly] [--coupon CODE]`:
//!   prints the Stripe Checkout address and opens it in the browser.
//! - `qoder account portal`: the same for Stripe's billing portal (cancel, change plan, card).
//! - `qoder account invoices [--json]`.
//!
//! The browser is not opened with `--no-open` or QODER_NO_BROWSER=1 (scripts, CI).

use crate::cmd::jobs::print_json;
use crate::exit::{CliError, CliResult};
use qoder_core::sync::SyncError;
use qoder_core::sync::account;
use qoder_domain::CodedError;

#[derive(clap::Subcommand)]
pub enum Command {
    /// The plan, its renewal and the use of each limit.
    Status {
        #[arg(long)]
        json: bool,
    },
    /// Use of each limit this period, and when it resets.
    Usage {
        #[arg(long)]
        json: bool,
    },
    /// The plans and their limits.
    Plans {
        #[arg(long)]
        json: bool,
    },
    /// Buy Pro: prints the Stripe Checkout address and opens it in the browser.
    Upgrade {
        /// pro_monthly ($10 a month), pro_quarterly ($27 for 3 months) or pro_halfyearly
        /// ($54 for 6 months).
        #[arg(long, default_value = "pro_monthly")]
        plan: String,
        #[arg(long)]
        coupon: Option<String>,
        /// Print the address only.
        #[arg(long)]
        no_open: bool,
    },
    /// Manage billing (cancel, change plan, card): prints Stripe's portal address and opens it.
    Portal {
        #[arg(long)]
        no_open: bool,
    },
    /// Invoices with their pages on Stripe.
    Invoices {
        #[arg(long)]
        json: bool,
    },
}

fn err(e: SyncError) -> CliError {
    CliError(e.body())
}

/// Prints `url` and opens it in the system browser, unless told not to.
fn open(url: &str, no_open: bool) {
    println!("{url}");
    if !no_open
        && std::env::var_os("QODER_NO_BROWSER").is_none_or(|v| v.is_empty() || v == "0")
        && !account::open_in_browser(url)
    {
        eprintln!("Could not open a browser; open the address above yourself.");
    }
}

fn limit(l: Option<i64>) -> String {
    l.map_or_else(|| "unlimited".to_string(), |n| n.to_string())
}

fn print_usage(u: &qoder_core::sync::account::UsageView<'_>) {
    for i in u.0 {
        println!(
            "  {:<16} {:>4} of {:<9} this {} (resets {})",
            i.feature.replace('_', " "),
            i.used,
            limit(i.limit),
            i.period,
            i.resets_at.format("%Y-%m-%d %H:%M UTC")
        );
    }
}

fn money(cents: i64, currency: &str) -> String {
    format!(
        "{}{:.2}",
        if currency.eq_ignore_ascii_case("usd") { "$" } else { "" },
        cents as f64 / 100.0
    )
}

pub fn run(c: Command) -> CliResult {
    let dir = crate::cmd::data_dir()?;
    match c {
        Command::Status { json } => {
            let s = account::status(&dir).map_err(err)?;
            if json {
                return print_json(&s);
            }
            let sub = &s.subscription;
            println!("Account {} on {}", s.email, s.server);
            println!("Plan: {} ({})", sub.plan.name, sub.status);
            if let Some(end) = sub.current_period_end {
                let what = if sub.cancel_at_period_end { "Ends" } else { "Renews" };
                println!("{what}: {}", end.format("%Y-%m-%d"));
            }
            println!("Hosted AI use:");
            print_usage(&account::UsageView(&s.usage.items));
            if sub.plan.id == "free" {
                println!(
                    "Upgrade with: qoder account upgrade [--plan pro_quarterly] [--coupon CODE]"
                );
            }
        }
        Command::Usage { json } => {
            let u = account::usage(&dir).map_err(err)?;
            if json {
                return print_json(&u);
            }
            println!("Plan: {}", u.plan_id);
            print_usage(&account::UsageView(&u.items));
        }
        Command::Plans { json } => {
            let plans = account::plans(&dir).map_err(err)?;
            if json {
                return print_json(&plans);
            }
            for p in plans {
                let per = if p.interval_count == 1 {
                    format!("a {}", p.interval)
                } else {
                    format!("for {} {}s", p.interval_count, p.interval)
                };
                println!(
                    "{:<15} {:<16} {} {per}: {} resume analyses and {} JD matchings a {}",
                    p.id,
                    p.name,
                    money(p.price_cents, &p.currency),
                    limit(p.limits.resume_analysis),
                    limit(p.limits.jd_matching),
                    p.limits.period
                );
            }
        }
        Command::Upgrade { plan, coupon, no_open } => {
            let r = account::upgrade(&dir, &plan, coupon.as_deref()).map_err(err)?;
            eprintln!(
                "Complete the purchase on Stripe's page; your plan changes once Stripe confirms it:"
            );
            open(&r.url, no_open);
        }
        Command::Portal { no_open } => {
            let r = account::portal(&dir).map_err(err)?;
            eprintln!("Manage your subscription on Stripe's page:");
            open(&r.url, no_open);
        }
        Command::Invoices { json } => {
            let list = account::invoices(&dir).map_err(err)?;
            if json {
                return print_json(&list);
            }
            if list.is_empty() {
                println!("No invoices.");
            }
            for i in list {
                println!(
                    "{}  {:<12} {:>9}  {:<6} {}",
                    i.created.format("%Y-%m-%d"),
                    i.number.as_deref().unwrap_or(&i.id),
                    money(i.amount_due, &i.currency),
                    i.status.as_deref().unwrap_or("-"),
                    i.hosted_invoice_url.as_deref().unwrap_or("")
                );
            }
        }
    }
    Ok(())
}
