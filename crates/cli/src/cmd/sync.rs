//! `qoder sync …`: end-to-end-encrypted sync with a `qoder-server`.
//!
//! - `qoder sync login --server URL --email E [--create]`: the password is read from stdin (one
//!   line) or `QODER_SYNC_PASSWORD`; it is never stored. `--create` makes the account.
//! - `qoder sync now`: send this device's edits, merge the other devices'.
//! - `qoder sync status [--json]`, `qoder sync on|off`, `qoder sync conflicts [--json]`,
//!   `qoder sync logout`, `qoder sync recovery-code`, `qoder sync password`.

use crate::cmd::jobs::print_json;
use crate::exit::{CliError, CliResult};
use qoder_core::sync as core_sync;
use std::io::Read;
use std::path::PathBuf;

#[derive(clap::Subcommand)]
pub enum Command {
    /// Sign this device in (the password on stdin, or in QODER_SYNC_PASSWORD).
    Login {
        /// The server's address, e.g. https://sync.example.com or http://127.0.0.1:8080.
        #[arg(long)]
        server: String,
        #[arg(long)]
        email: String,
        /// Create the account (the first device).
        #[arg(long)]
        create: bool,
        /// Open the account's key with the recovery code instead of the password: the code in
        /// QODER_SYNC_RECOVERY_CODE, or on the second line of stdin (never as an argument:
        /// arguments show in the process list and the shell history).
        #[arg(long, conflicts_with = "create")]
        with_recovery_code: bool,
    },
    /// Make the account's recovery code (shown once).
    RecoveryCode {
        /// Replace the code already set up (it stops working); the password on stdin or in
        /// QODER_SYNC_PASSWORD.
        #[arg(long)]
        replace: bool,
    },
    /// Change the account's password: the old and the new one on stdin, one per line (or
    /// QODER_SYNC_PASSWORD and QODER_SYNC_NEW_PASSWORD). Other devices sign in again.
    Password,
    /// Send this device's edits and merge the other devices'.
    Now {
        #[arg(long)]
        json: bool,
    },
    /// Where this device stands: account, last sync, edits waiting, conflicts.
    Status {
        #[arg(long)]
        json: bool,
    },
    /// Turn sync on for this device.
    On,
    /// Turn sync off for this device (edits are still tracked and sent when turned on).
    Off,
    /// Concurrent edits of long text that lost, kept so nothing is dropped.
    Conflicts {
        #[arg(long)]
        json: bool,
    },
    /// Sign this device out (the data stays here).
    Logout,
}

fn dir() -> Result<PathBuf, CliError> {
    Ok(qoder_core::data_dir()?)
}

/// The password and the recovery code: QODER_SYNC_PASSWORD and QODER_SYNC_RECOVERY_CODE, or
/// the lines of stdin (password first) for those not set.
fn password_and_code() -> Result<(String, Option<String>), CliError> {
    let from_env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let (mut pw, mut code) =
        (from_env("QODER_SYNC_PASSWORD"), from_env("QODER_SYNC_RECOVERY_CODE"));
    if pw.is_none() || code.is_none() {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s)?;
        let mut lines = s.lines().map(str::to_string).filter(|l| !l.is_empty());
        if pw.is_none() {
            pw = lines.next();
        }
        if code.is_none() {
            code = lines.next();
        }
    }
    match (pw, code) {
        (Some(pw), Some(code)) => Ok((pw, Some(code))),
        _ => Err(CliError::bad_input(
            "--with-recovery-code: pipe the password and then the recovery code on stdin (one \
             line each), or set QODER_SYNC_PASSWORD and QODER_SYNC_RECOVERY_CODE",
        )),
    }
}

/// The password: QODER_SYNC_PASSWORD, or the first line of stdin.
pub(crate) fn password() -> Result<String, CliError> {
    if let Ok(p) = std::env::var("QODER_SYNC_PASSWORD")
        && !p.is_empty()
    {
        return Ok(p);
    }
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s)?;
    let p = s.lines().next().unwrap_or_default().to_string();
    if p.is_empty() {
        return Err(CliError::bad_input(
            "no password: pipe it on stdin (one line) or set QODER_SYNC_PASSWORD",
        ));
    }
    Ok(p)
}

fn two_passwords() -> Result<(String, String), CliError> {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    if let (Some(old), Some(new)) = (env("QODER_SYNC_PASSWORD"), env("QODER_SYNC_NEW_PASSWORD")) {
        return Ok((old, new));
    }
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s)?;
    let mut lines = s.lines();
    match (lines.next(), lines.next()) {
        (Some(old), Some(new)) if !old.is_empty() && !new.is_empty() => {
            Ok((old.to_string(), new.to_string()))
        }
        _ => Err(CliError::bad_input(
            "give the old and the new password on stdin, one per line (or QODER_SYNC_PASSWORD and QODER_SYNC_NEW_PASSWORD)",
        )),
    }
}

fn print_status(s: &qoder_domain::sync::SyncStatus) {
    if !s.signed_in {
        println!("Not signed in. Sign in with: qoder sync login --server URL --email EMAIL");
        return;
    }
    println!(
        "Signed in to {} as {} (this device {})",
        s.server.as_deref().unwrap_or("?"),
        s.email.as_deref().unwrap_or("?"),
        s.device_id.as_deref().unwrap_or("?")
    );
    println!("Sync: {}", if s.enabled { "on" } else { "off" });
    match s.last_sync_at {
        Some(t) => println!("Last sync: {}", t.format("%Y-%m-%d %H:%M:%S UTC")),
        None => println!("Last sync: never"),
    }
    if let Some(e) = &s.last_error {
        println!("Last attempt failed: {e}");
    }
    println!("Waiting to send: {}", s.waiting);
    if s.pending > 0 {
        println!("Received but not placed yet: {} (what they refer to has not arrived)", s.pending);
    }
    if s.conflicts > 0 {
        println!("Conflict copies: {} (see `qoder sync conflicts`)", s.conflicts);
    }
    if s.set_aside > 0 {
        println!(
            "Set aside: {} received record(s) could not be opened or read (another key, or damaged); sync goes on without them",
            s.set_aside
        );
    }
}

pub fn run(c: Command) -> CliResult {
    let dir = dir()?;
    match c {
        Command::Login { server, email, create, with_recovery_code } => {
            let (pw, recovery_code) =
                if with_recovery_code { password_and_code()? } else { (password()?, None) };
            let account = if create {
                core_sync::AccountMode::Create
            } else {
                core_sync::AccountMode::Existing
            };
            let s = core_sync::login_with(
                &dir,
                &server,
                &email,
                &pw,
                account,
                recovery_code.as_deref(),
            )?;
            print_status(&s);
            println!("Run `qoder sync now` to send this device's data.");
        }
        Command::Now { json } => {
            let r = core_sync::sync_now(&dir)?;
            if json {
                print_json(&r)?;
            } else {
                println!(
                    "Synced in {} ms: sent {}, received {}, {} changed here{}{}",
                    r.took_ms,
                    r.pushed,
                    r.pulled,
                    r.applied,
                    if r.pending > 0 {
                        format!(", {} waiting for what they refer to", r.pending)
                    } else {
                        String::new()
                    },
                    if r.conflicts > 0 {
                        format!(", {} conflict copies", r.conflicts)
                    } else {
                        String::new()
                    },
                );
            }
        }
        Command::Status { json } => {
            let s = core_sync::status(&dir)?;
            if json { print_json(&s)? } else { print_status(&s) }
        }
        Command::On | Command::Off => {
            let on = matches!(c, Command::On);
            let s = core_sync::set_enabled(&dir, on)?;
            print_status(&s);
        }
        Command::Conflicts { json } => {
            let list = core_sync::conflicts(&dir)?;
            if json {
                print_json(&list)?;
            } else if list.is_empty() {
                println!("No conflict copies.");
            } else {
                for c in list {
                    println!(
                        "{} {} · {} · lost edit from device {} at {}:\n  {}",
                        c.collection,
                        c.entity,
                        c.field,
                        c.device_id,
                        c.at.format("%Y-%m-%d %H:%M"),
                        c.value.replace('\n', "\n  ")
                    );
                }
            }
        }
        Command::RecoveryCode { replace } => {
            let pw = if replace { Some(password()?) } else { None };
            let code = core_sync::new_recovery_code_with(&dir, pw.as_deref())?;
            println!("{code}");
            eprintln!(
                "Write this recovery code down and keep it safe: it opens your synced data. It is not shown again."
            );
        }
        Command::Password => {
            let (old, new) = two_passwords()?;
            core_sync::change_password(&dir, &old, &new)?;
            println!(
                "Password changed. Your other devices need to sign in again with the new one."
            );
        }
        Command::Logout => {
            core_sync::logout(&dir)?;
            println!("Signed out; the data stays on this device.");
        }
    }
    Ok(())
}
