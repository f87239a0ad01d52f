//! The `llm_usage` table: one row per AI call, for the usage view, the daily spend limit and
//! the daily generation count. Days are the user's local dates, passed in by the caller.

use crate::error::Result;
use crate::now_ms;
use rusqlite::{Connection, params};

/// One call.
#[derive(Clone, Debug, PartialEq)]
pub struct UsageRow {
    pub day: String,
    pub feature: String,
    pub provider: String,
    pub model: String,
    pub tokens_in: u64,
    pub tokens_out: u64,
    pub estimated: bool,
    pub cost_usd: f64,
    pub latency_ms: u64,
    pub cache_hit: bool,
    pub outcome: String,
}

pub fn insert(conn: &Connection, r: &UsageRow) -> Result<()> {
    conn.execute(
        "INSERT INTO llm_usage(at, day, feature, provider, model, tokens_in, tokens_out, estimated,
                               cost_usd, latency_ms, cache_hit, outcome)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            now_ms(),
            r.day,
            r.feature,
            r.provider,
            r.model,
            r.tokens_in as i64,
            r.tokens_out as i64,
            r.estimated,
            r.cost_usd,
            r.latency_ms as i64,
            r.cache_hit,
            r.outcome
        ],
    )?;
    Ok(())
}

/// Dollars spent with `provider` on `day`.
pub fn spent_on(conn: &Connection, day: &str, provider: &str) -> Result<f64> {
    Ok(conn.query_row(
        "SELECT coalesce(sum(cost_usd), 0) FROM llm_usage WHERE day = ?1 AND provider = ?2",
        params![day, provider],
        |r| r.get(0),
    )?)
}

/// Successful, uncached calls of `feature` on `day` (cache hits cost nothing and do not count).
pub fn generations_on(conn: &Connection, day: &str, feature: &str) -> Result<u32> {
    Ok(conn.query_row(
        "SELECT count(*) FROM llm_usage
         WHERE day = ?1 AND feature = ?2 AND outcome = 'ok' AND cache_hit = 0",
        params![day, feature],
        |r| r.get(0),
    )?)
}

/// Totals per day, provider, model and feature since `from_day` (inclusive), newest first.
#[derive(Clone, Debug, PartialEq)]
pub struct UsageSummary {
    pub day: String,
    pub provider: String,
    pub model: String,
    pub feature: String,
    pub calls: u32,
    pub cache_hits: u32,
    pub failures: u32,
    pub tokens_in: u64,
    pub tokens_out: u64,
    pub cost_usd: f64,
    pub avg_latency_ms: u64,
}

pub fn summary(conn: &Connection, from_day: &str) -> Result<Vec<UsageSummary>> {
    let mut stmt = conn.prepare(
        "SELECT day, provider, model, feature, count(*), sum(cache_hit), sum(outcome <> 'ok'),
                sum(tokens_in), sum(tokens_out), sum(cost_usd),
                coalesce(avg(CASE WHEN cache_hit = 0 THEN latency_ms END), 0)
         FROM llm_usage WHERE day >= ?1
         GROUP BY day, provider, model, feature
         ORDER BY day DESC, provider, model, feature",
    )?;
    let rows = stmt.query_map([from_day], |r| {
        Ok(UsageSummary {
            day: r.get(0)?,
            provider: r.get(1)?,
            model: r.get(2)?,
            feature: r.get(3)?,
            calls: r.get(4)?,
            cache_hits: r.get(5)?,
            failures: r.get(6)?,
            tokens_in: r.get::<_, i64>(7)? as u64,
            tokens_out: r.get::<_, i64>(8)? as u64,
            cost_usd: r.get(9)?,
            avg_latency_ms: r.get::<_, f64>(10)? as u64,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(day: &str, provider: &str, cost: f64, hit: bool, outcome: &str) -> UsageRow {
        UsageRow {
            day: day.into(),
            feature: "generate_points".into(),
            provider: provider.into(),
            model: "m".into(),
            tokens_in: 100,
            tokens_out: 20,
            estimated: false,
            cost_usd: cost,
            latency_ms: 300,
            cache_hit: hit,
            outcome: outcome.into(),
        }
    }

    #[test]
    fn spend_counts_and_summary() {
        let dir = tempfile::tempdir().unwrap();
        let s = crate::Store::open(dir.path()).unwrap();
        let c = s.conn();
        insert(c, &row("2026-11-25", "openai", 0.01, false, "ok")).unwrap();
        insert(c, &row("2026-11-25", "openai", 0.0, true, "ok")).unwrap();
        insert(c, &row("2026-11-25", "openai", 0.0, false, "upstream")).unwrap();
        insert(c, &row("2026-11-24", "openai", 0.5, false, "ok")).unwrap();
        insert(c, &row("2026-11-25", "gemini", 0.002, false, "ok")).unwrap();
        assert!((spent_on(c, "2026-11-25", "openai").unwrap() - 0.01).abs() < 1e-12);
        assert_eq!(spent_on(c, "2026-11-23", "openai").unwrap(), 0.0);
        assert_eq!(generations_on(c, "2026-11-25", "generate_points").unwrap(), 2);
        let sum = summary(c, "2026-11-25").unwrap();
        assert_eq!(sum.len(), 2);
        let o = sum.iter().find(|s| s.provider == "openai").unwrap();
        assert_eq!((o.calls, o.cache_hits, o.failures, o.tokens_in), (3, 1, 1, 300));
        assert_eq!(o.avg_latency_ms, 300);
    }
}
