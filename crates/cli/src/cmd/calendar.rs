//! `qoder calendar …`: interviews pushed as events to Google Calendar or Microsoft Outlook.
//!
//! - `qoder calendar connect google|outlook [--no-open] [--no-sync]`: opens the provider's
//!   sign-in page in the browser (the address is printed too), waits for its redirect to this
//!   machine, keeps the tokens in the OS keychain, then syncs.
//! - `qoder calendar sync [--json]`: push what changed to every connected calendar.
//! - `qoder calendar status [--json]`: connected calendars, last sync, last error.
//! - `qoder calendar disconnect [google|outlook] [--remove-events] [--json]`: forget the
//!   calendar; its events stay unless `--remove-events`.
//!
//! The OAuth clients come from GOOGLE_CALENDAR_CLIENT_ID (+ _SECRET) and OUTLOOK_CLIENT_ID.

use crate::cmd::{open_store, print_json};
use crate::exit::{CliError, CliResult};
use qoder_core::Store;
use qoder_core::calendar::{
    self, CalendarAccount, CalendarProvider, CalendarSyncReport, ConnectPrompt, RemoveEvents,
};
use qoder_domain::ErrorCode;
use std::sync::Mutex;
use std::sync::atomic::AtomicBool;

#[derive(clap::Subcommand)]
pub enum Command {
    /// Connect a calendar: sign in in the browser, then push the interviews.
    Connect {
        /// google or outlook.
        provider: CalendarProvider,
        /// Print the sign-in address only (open it yourself).
        #[arg(long)]
        no_open: bool,
        /// Do not sync right after connecting.
        #[arg(long)]
        no_sync: bool,
        #[arg(long)]
        json: bool,
    },
    /// Push the interviews that changed to every connected calendar.
    Sync {
        #[arg(long)]
        json: bool,
    },
    /// Connected calendars, their last sync and last error.
    Status {
        #[arg(long)]
        json: bool,
    },
    /// Forget a calendar (the only connected one when not named). Its events stay in the
    /// calendar unless --remove-events.
    Disconnect {
        provider: Option<CalendarProvider>,
        /// Also delete the events sync made.
        #[arg(long)]
        remove_events: bool,
        #[arg(long)]
        json: bool,
    },
}

pub fn run(c: Command) -> CliResult {
    let config = crate::config()?;
    let store = Mutex::new(open_store()?);
    match c {
        Command::Connect { provider, no_open, no_sync, json } => {
            let mut config = config.clone();
            config.open_browser &= !no_open;
            let mut prompt = |p: &ConnectPrompt| {
                if p.browser_opened {
                    eprintln!(
                        "Sign in to {} in the browser window that opened.",
                        p.provider.label()
                    );
                    eprintln!("If it did not open, open this address:");
                } else {
                    eprintln!("Open this address to connect {}:", p.provider.label());
                }
                println!("{}", p.url);
                eprintln!("Waiting for the sign-in (Ctrl-C to stop)…");
            };
            let account =
                calendar::connect(&store, &config, provider, &mut prompt, &AtomicBool::new(false))?;
            let report =
                if no_sync { None } else { Some(calendar::sync_one(&store, &config, provider)?) };
            if json {
                return print_json(&serde_json::json!({"account": account, "sync": report}));
            }
            println!("Connected {}.", provider.label());
            if let Some(r) = &report {
                print_report(r);
            }
            report.map_or(Ok(()), |r| failed(&[r]))
        }
        Command::Sync { json } => {
            let reports = calendar::sync(&store, config)?;
            if json {
                print_json(&reports)?;
            } else {
                reports.iter().for_each(print_report);
            }
            failed(&reports)
        }
        Command::Status { json } => {
            let st = {
                let guard = lock(&store)?;
                calendar::status(&guard, config)?
            };
            if json {
                return print_json(&st);
            }
            st.accounts.iter().for_each(print_account);
            Ok(())
        }
        Command::Disconnect { provider, remove_events, json } => {
            let provider = match provider {
                Some(p) => p,
                None => {
                    let guard = lock(&store)?;
                    calendar::only_connected(&guard)?
                }
            };
            let remove = if remove_events { RemoveEvents::Remove } else { RemoveEvents::Keep };
            let d = calendar::disconnect(&store, config, provider, remove)?;
            if json {
                return print_json(&d);
            }
            println!(
                "Disconnected {}: {} event(s) removed, {} left in the calendar.",
                provider.label(),
                d.removed,
                d.kept
            );
            Ok(())
        }
    }
}

fn lock(store: &Mutex<Store>) -> Result<std::sync::MutexGuard<'_, Store>, CliError> {
    store.lock().map_err(|_| CliError::new(ErrorCode::Internal, "the database handle was poisoned"))
}

fn print_report(r: &CalendarSyncReport) {
    println!(
        "{}: {} created, {} updated, {} deleted, {} recreated, {} unchanged ({} ms)",
        r.provider.label(),
        r.created,
        r.updated,
        r.deleted,
        r.recreated,
        r.unchanged,
        r.took_ms
    );
    for f in &r.failed {
        println!("  interview {}: {}", f.interview_id, f.message);
    }
    if let Some(e) = &r.error {
        println!("  stopped: {e}");
    }
}

/// A sync that did not get everything through exits 1 with the first reason.
fn failed(reports: &[CalendarSyncReport]) -> CliResult {
    match reports.iter().find(|r| !r.ok()) {
        None => Ok(()),
        Some(r) => {
            let why = r.error.clone().or_else(|| r.failed.first().map(|f| f.message.clone()));
            Err(CliError::new(
                ErrorCode::Upstream,
                format!(
                    "{} sync did not finish: {}; `qoder calendar sync` tries again",
                    r.provider.label(),
                    why.unwrap_or_default()
                ),
            ))
        }
    }
}

fn print_account(a: &CalendarAccount) {
    let when = |t: Option<chrono::DateTime<chrono::Utc>>| {
        t.map_or_else(|| "never".to_string(), |t| t.format("%Y-%m-%d %H:%M UTC").to_string())
    };
    if !a.connected {
        println!(
            "{}: not connected{}",
            a.provider.label(),
            if a.configured { "" } else { " (no OAuth client configured)" }
        );
        return;
    }
    println!(
        "{}: connected {} (tokens in the {}); {} event(s), {} waiting; last sync {}, last success {}",
        a.provider.label(),
        when(a.connected_at),
        a.token_store.as_deref().unwrap_or("?"),
        a.events,
        a.waiting,
        when(a.last_sync_at),
        when(a.last_success_at)
    );
    if let Some(e) = &a.last_error {
        println!("  last error: {e}");
    }
}

/// After a change in the tracker: push it to the connected calendars (nothing when none is).
/// A failure is a warning: the change is saved, and the next sync sends it.
pub fn push(store: Store) {
    let Ok(config) = crate::config() else { return };
    let store = Mutex::new(store);
    match calendar::sync_if_connected(&store, config) {
        Ok(Some(reports)) => {
            for r in reports.iter().filter(|r| !r.ok()) {
                let why = r.error.clone().or_else(|| r.failed.first().map(|f| f.message.clone()));
                eprintln!(
                    "warning: {} not updated: {}; `qoder calendar sync` tries again",
                    r.provider.label(),
                    why.unwrap_or_default()
                );
            }
        }
        Ok(None) => {}
        Err(e) => eprintln!("warning: calendars not updated: {e}"),
    }
}
