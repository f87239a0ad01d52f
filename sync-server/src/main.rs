//! The `qoder-server` binary: settings, logging, database, then serve until Ctrl-C or SIGTERM.

use std::path::PathBuf;

use anyhow::Context;
use clap::Parser;
use qoder_server::admin::Role;
use qoder_server::config::{Config, Flags};
use qoder_server::forecast::seed;
use tracing_subscriber::EnvFilter;

/// QoderResume sync server. Every setting comes from its default, then the TOML file
/// (--config; keys are the flag names with underscores), then its QODER_* environment variable,
/// then its flag below; the later wins. Logging: QODER_LOG (an EnvFilter, default info).
#[derive(Parser, Debug)]
#[command(version)]
struct Args {
    /// TOML settings file
    #[arg(long, env = "QODER_CONFIG", value_name = "FILE")]
    config: Option<PathBuf>,
    /// Log as JSON lines
    #[arg(long)]
    json_logs: bool,
    #[command(flatten)]
    flags: Flags,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(clap::Subcommand, Debug)]
enum Command {
    /// Manage admins (uses the same settings to reach the database; no JWT secret needed).
    Admin {
        #[command(subcommand)]
        action: AdminAction,
    },
    /// Fill a test or demo database with a generated, reproducible load history (hourly
    /// requests and hosted-AI calls with daily and weekly cycles, a trend and noise) for the
    /// load forecast. Refuses a database that already has load older than a day.
    SeedHistory {
        /// Days of history, ending with the last complete hour.
        #[arg(long, default_value_t = 28, value_parser = clap::value_parser!(u32).range(1..=60))]
        days: u32,
        /// The random generator's seed: the same seed gives the same history.
        #[arg(long, default_value_t = 7)]
        seed: u64,
        /// Add to a database that already has load history.
        #[arg(long)]
        force: bool,
    },
}

#[derive(clap::Subcommand, Debug)]
enum AdminAction {
    /// Make the account with this email an admin.
    Grant { email: String },
    /// Make the account with this email a plain user again (its admin access ends at once).
    Revoke { email: String },
    /// Print an access token of this admin account for the web console at /admin (needs the
    /// server's JWT secret; valid for access_token_ttl seconds; audited).
    Token { email: String },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let filter = EnvFilter::try_from_env("QODER_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    if args.json_logs {
        tracing_subscriber::fmt().with_env_filter(filter).json().init();
    } else {
        tracing_subscriber::fmt().with_env_filter(filter).init();
    }
    if let Some(Command::Admin { action }) = &args.command {
        let mut config = Config::layered(args.config.as_deref(), |k| std::env::var(k).ok())
            .context("loading settings")?;
        args.flags.clone().apply(&mut config);
        let pool = qoder_server::connect(&config).await?;
        let (email, role) = match action {
            AdminAction::Grant { email } => (email, Role::Admin),
            AdminAction::Revoke { email } => (email, Role::User),
            AdminAction::Token { email } => {
                config.validate().context("checking settings")?;
                let keys = qoder_server::auth::TokenKeys::new(&config);
                println!("{}", qoder_server::admin::console_token(&pool, &keys, email).await?);
                return Ok(());
            }
        };
        qoder_server::admin::set_role(&pool, email, role).await?;
        println!("{} is now {}", qoder_server::admin::normalize_email(email), role.as_str());
        return Ok(());
    }
    if let Some(Command::SeedHistory { days, seed, force }) = args.command {
        let mut config = Config::layered(args.config.as_deref(), |k| std::env::var(k).ok())
            .context("loading settings")?;
        args.flags.clone().apply(&mut config);
        let pool = qoder_server::connect(&config).await?;
        if !force {
            seed::check_empty(&pool).await?;
        }
        let options = seed::Options { days, seed, ..seed::Options::default() };
        let hours = seed::generate(chrono::Utc::now(), &options);
        let w = seed::write(&pool, &hours, seed).await?;
        println!(
            "seeded {} hours: {} requests, {} hosted-AI calls (seed {seed})",
            w.hours, w.requests, w.ai_calls
        );
        return Ok(());
    }
    let mut config = Config::layered(args.config.as_deref(), |k| std::env::var(k).ok())
        .context("loading settings")?;
    args.flags.apply(&mut config);
    config.resolve_ai(|k| std::env::var(k).ok()).context("loading the hosted AI's providers")?;
    config.validate().context("checking settings")?;
    tracing::info!(?config, "starting");
    let pool = qoder_server::connect(&config).await?;
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("binding {}", config.listen))?;
    tracing::info!(addr = %listener.local_addr()?, "listening");
    let state = qoder_server::AppState::new(config, pool).await?;
    qoder_server::serve(listener, state, shutdown_signal()).await.context("serving")?;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down");
}
