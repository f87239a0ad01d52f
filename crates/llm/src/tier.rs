//! Tiered model choice (design "Tiered Model Selection") and prices.

use serde::{Deserialize, Serialize};

/// How demanding a request is, chosen by the number of skills it is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    Basic,
    Standard,
    Premium,
}

impl Tier {
    /// Fewer than 5 skills: basic; 5 to 15: standard; more than 15: premium.
    pub fn for_skill_count(n: usize) -> Tier {
        match n {
            0..5 => Tier::Basic,
            5..=15 => Tier::Standard,
            _ => Tier::Premium,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Basic => "basic",
            Tier::Standard => "standard",
            Tier::Premium => "premium",
        }
    }
}

/// The model a provider uses for each tier.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TierModels {
    pub basic: String,
    pub standard: String,
    pub premium: String,
}

impl TierModels {
    /// One model for every tier (`--model`).
    pub fn single(model: &str) -> TierModels {
        TierModels {
            basic: model.to_string(),
            standard: model.to_string(),
            premium: model.to_string(),
        }
    }

    pub fn get(&self, tier: Tier) -> &str {
        match tier {
            Tier::Basic => &self.basic,
            Tier::Standard => &self.standard,
            Tier::Premium => &self.premium,
        }
    }
}

/// US dollars per million input and output tokens.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Price {
    pub input_per_mtok: f64,
    pub output_per_mtok: f64,
}

impl Price {
    pub const FREE: Price = Price { input_per_mtok: 0.0, output_per_mtok: 0.0 };

    pub fn cost(self, tokens_in: u64, tokens_out: u64) -> f64 {
        (tokens_in as f64 * self.input_per_mtok + tokens_out as f64 * self.output_per_mtok) / 1e6
    }
}

/// List prices of the default models (USD per million tokens, as published in 2025). A model
/// not listed here (a local model, a new name) costs 0 unless the user sets a price.
pub fn list_price(model: &str) -> Option<Price> {
    let p = |i, o| Some(Price { input_per_mtok: i, output_per_mtok: o });
    match model {
        "gpt-4o-mini" => p(0.15, 0.60),
        "gpt-4o" => p(2.50, 10.0),
        "gpt-4.1-mini" => p(0.40, 1.60),
        "gpt-4.1" => p(2.0, 8.0),
        "claude-3-5-haiku-latest" => p(0.80, 4.0),
        "claude-sonnet-4-5" | "claude-sonnet-4-0" => p(3.0, 15.0),
        "claude-opus-4-1" => p(15.0, 75.0),
        "gemini-2.5-flash-lite" => p(0.10, 0.40),
        "gemini-2.5-flash" => p(0.30, 2.50),
        "gemini-2.5-pro" => p(1.25, 10.0),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiers_by_skill_count() {
        for (n, t) in [
            (0, Tier::Basic),
            (4, Tier::Basic),
            (5, Tier::Standard),
            (15, Tier::Standard),
            (16, Tier::Premium),
        ] {
            assert_eq!(Tier::for_skill_count(n), t, "{n}");
        }
        let m = TierModels { basic: "a".into(), standard: "b".into(), premium: "c".into() };
        assert_eq!(m.get(Tier::Premium), "c");
        assert!((list_price("gpt-4o").unwrap().cost(1_000_000, 100_000) - 3.5).abs() < 1e-9);
    }
}
