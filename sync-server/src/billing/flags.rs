//! Feature flags (design "Feature Flags"): a default per flag, overridden per plan, then per
//! user. The snapshot also holds the accounts an admin disabled (read on every authenticated
//! request, so it must cost no round trip). Each process keeps the tables in memory for 10 minutes; a change to them is announced
//! on the `qoder_flags` channel (a trigger, migration 0006) and every process listening drops
//! its copy at once.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sqlx::PgPool;
use sqlx::postgres::PgListener;
use uuid::Uuid;

/// How long a process trusts its copy without a notice.
pub const TTL: Duration = Duration::from_secs(600);
/// The channel of change notices.
pub const CHANNEL: &str = "qoder_flags";

#[derive(Debug, Default)]
struct Snapshot {
    defaults: BTreeMap<String, bool>,
    by_plan: HashMap<(String, String), bool>,
    by_user: HashMap<(Uuid, String), bool>,
    /// Accounts an admin disabled (`users.disabled_at`; its changes notify the same channel).
    disabled: HashSet<Uuid>,
}

#[derive(Default)]
struct Cached {
    /// Bumped by every invalidation: a load that started before one is not kept.
    generation: u64,
    snapshot: Option<(Instant, Arc<Snapshot>)>,
}

/// The flags of one process.
#[derive(Default)]
pub struct Flags {
    cached: Mutex<Cached>,
    ttl: Option<Duration>,
}

impl Flags {
    pub fn new(ttl: Duration) -> Self {
        Self { cached: Mutex::new(Cached::default()), ttl: Some(ttl) }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Cached> {
        self.cached.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Drops the cached copy.
    pub fn invalidate(&self) {
        let mut c = self.lock();
        c.generation += 1;
        c.snapshot = None;
    }

    async fn snapshot(&self, pool: &PgPool) -> sqlx::Result<Arc<Snapshot>> {
        let ttl = self.ttl.unwrap_or(TTL);
        let generation = {
            let c = self.lock();
            if let Some((at, s)) = &c.snapshot
                && at.elapsed() < ttl
            {
                return Ok(s.clone());
            }
            c.generation
        };
        let defaults: Vec<(String, bool)> =
            sqlx::query_as("SELECT key, enabled FROM feature_flags").fetch_all(pool).await?;
        let overrides: Vec<(String, Option<String>, Option<Uuid>, bool)> =
            sqlx::query_as("SELECT flag, plan_id, user_id, enabled FROM feature_flag_overrides")
                .fetch_all(pool)
                .await?;
        let disabled: Vec<Uuid> =
            sqlx::query_scalar("SELECT id FROM users WHERE disabled_at IS NOT NULL")
                .fetch_all(pool)
                .await?;
        let mut s = Snapshot {
            defaults: defaults.into_iter().collect(),
            disabled: disabled.into_iter().collect(),
            ..Snapshot::default()
        };
        for (flag, plan, user, enabled) in overrides {
            match (plan, user) {
                (Some(p), _) => {
                    s.by_plan.insert((p, flag), enabled);
                }
                (None, Some(u)) => {
                    s.by_user.insert((u, flag), enabled);
                }
                (None, None) => {}
            }
        }
        let s = Arc::new(s);
        let mut c = self.lock();
        if c.generation == generation {
            c.snapshot = Some((Instant::now(), s.clone()));
        }
        Ok(s)
    }

    /// Every flag for `user` on `plan`: the user's override, else the plan's, else the default.
    pub async fn for_user(
        &self,
        pool: &PgPool,
        user: Uuid,
        plan: &str,
    ) -> sqlx::Result<BTreeMap<String, bool>> {
        let s = self.snapshot(pool).await?;
        Ok(s.defaults
            .iter()
            .map(|(k, d)| {
                let v = s
                    .by_user
                    .get(&(user, k.clone()))
                    .or_else(|| s.by_plan.get(&(plan.to_string(), k.clone())))
                    .unwrap_or(d);
                (k.clone(), *v)
            })
            .collect())
    }

    /// One flag for `user` on `plan` (an unknown flag is off). On the hosted AI's request path:
    /// looks the one flag up rather than building the whole map.
    pub async fn enabled(
        &self,
        pool: &PgPool,
        user: Uuid,
        plan: &str,
        flag: &str,
    ) -> sqlx::Result<bool> {
        let s = self.snapshot(pool).await?;
        let Some(default) = s.defaults.get(flag) else {
            return Ok(false);
        };
        let flag = flag.to_string();
        Ok(*s
            .by_user
            .get(&(user, flag.clone()))
            .or_else(|| s.by_plan.get(&(plan.to_string(), flag)))
            .unwrap_or(default))
    }
}

impl Flags {
    /// One flag for `user` under the plan in force, which is read (one round trip) only when
    /// some plan overrides this flag: a user's override wins, and a flag no plan overrides is
    /// its default, so the sync endpoints check `sync` on every request at no cost in the
    /// usual case.
    pub async fn enabled_for(&self, pool: &PgPool, user: Uuid, flag: &str) -> sqlx::Result<bool> {
        let s = self.snapshot(pool).await?;
        let Some(&default) = s.defaults.get(flag) else {
            return Ok(false);
        };
        if let Some(&v) = s.by_user.get(&(user, flag.to_string())) {
            return Ok(v);
        }
        if !s.by_plan.keys().any(|(_, f)| f == flag) {
            return Ok(default);
        }
        let plan = crate::billing::plans::plan_of(pool, user).await?;
        Ok(s.by_plan.get(&(plan, flag.to_string())).copied().unwrap_or(default))
    }
}

impl Flags {
    /// Whether an admin disabled `user`'s account.
    pub async fn is_disabled(&self, pool: &PgPool, user: Uuid) -> sqlx::Result<bool> {
        Ok(self.snapshot(pool).await?.disabled.contains(&user))
    }
}

/// Connects the LISTEN of change notices (before serving, so no change is missed).
pub async fn listen(pool: &PgPool) -> sqlx::Result<PgListener> {
    let mut l = PgListener::connect_with(pool).await?;
    l.listen(CHANNEL).await?;
    Ok(l)
}

/// Drops the cache on every notice (and marks the hosted AI's provider order stale: its table
/// notifies the same channel, migration 0009); if the connection breaks, drops them too (a
/// notice may have been missed) and listens again.
pub async fn run_listener(
    flags: Arc<Flags>,
    ai: Option<Arc<crate::hosted_ai::HostedAi>>,
    pool: PgPool,
    mut listener: PgListener,
) {
    let invalidate = || {
        flags.invalidate();
        if let Some(ai) = &ai {
            ai.invalidate();
        }
    };
    loop {
        match listener.recv().await {
            Ok(_) => invalidate(),
            Err(e) => {
                tracing::warn!(error = %e, "feature-flag notices interrupted; reconnecting");
                invalidate();
                tokio::time::sleep(Duration::from_secs(1)).await;
                match listen(&pool).await {
                    Ok(l) => listener = l,
                    Err(e) => tracing::warn!(error = %e, "cannot listen for feature-flag notices"),
                }
            }
        }
    }
}
