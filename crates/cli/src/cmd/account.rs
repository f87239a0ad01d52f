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
//! - `qoder account export -o FILE`: everything the server holds about the account (GDPR), a
//!   zip of JSON files.
//! - `qoder account delete --yes [--json]`: erases the account on the server (the password on
//!   stdin or in QODER_SYNC_PASSWORD) and prints the receipt; signs this device out.
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
    /// Everything the server holds about the account (GDPR export): a zip of JSON files, in
    /// which ciphertext is marked as such.
    Export {
        /// Where to write the zip.
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: std::path::PathBuf,
    },
    /// Erase the account and everything stored with it on the server, and sign this device
    /// out (its data stays here). The password on stdin or in QODER_SYNC_PASSWORD confirms it.
    Delete {
        /// Required: nothing is erased without it.
        #[arg(long)]
        yes: bool,
        /// Print the receipt as JSON.
        #[arg(long)]
        json: bool,
    },
}

fn err(e: SyncError) -> CliError {
    CliError(e.body())
}

/// Prints `url` and opens it in the system browser, unless told not to (`--no-open`, or
/// QODER_NO_BROWSER in the [`crate::config`]).
fn open(url: &str, no_open: bool, config: &qoder_core::Config) {
    println!("{url}");
    if !no_open && config.open_browser && !account::open_in_browser(url, config) {
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
            let config = crate::config()?;
            let r = account::upgrade(&dir, &plan, coupon.as_deref()).map_err(err)?;
            eprintln!(
                "Complete the purchase on Stripe's page; your plan changes once Stripe confirms it:"
            );
            open(&r.url, no_open, config);
        }
        Command::Portal { no_open } => {
            let config = crate::config()?;
            let r = account::portal(&dir).map_err(err)?;
            eprintln!("Manage your subscription on Stripe's page:");
            open(&r.url, no_open, config);
        }
        Command::Export { output } => {
            let zip = account::export(&dir).map_err(err)?;
            std::fs::write(&output, &zip)?;
            println!(
                "Wrote {} ({} bytes): everything the server holds about this account.",
                output.display(),
                zip.len()
            );
        }
        Command::Delete { yes, json } => {
            if !yes {
                return Err(CliError::bad_input(
                    "this erases the account and everything stored with it on the server; run again with --yes",
                ));
            }
            let password = crate::cmd::sync::password()?;
            let r = account::erase(&dir, &password).map_err(err)?;
            if json {
                return print_json(&r);
            }
            println!(
                "Account erased at {} (receipt {}).",
                r.erased_at.format("%Y-%m-%d %H:%M UTC"),
                r.receipt_id
            );
            for (what, n) in &r.deleted {
                println!("  deleted  {:<24} {n}", what.replace('_', " "));
            }
            for (what, n) in &r.retained {
                println!("  kept     {:<24} {n}", what.replace('_', " "));
            }
            for note in &r.notes {
                println!("  {note}");
            }
            println!("This device is signed out; its data stays here.");
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
