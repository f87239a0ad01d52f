//! Token estimates and the prompt budget.
//!
//! No provider's tokenizer ships with the app (OpenAI's o200k, Anthropic's and Gemini's are
//! either large or unpublished), so prompts are measured with a documented estimate that errs
//! high: `max(ceil(chars / 4), ceil(words × 4 / 3))`. English prose runs ~4 characters and
//! ~0.75 words per token in the GPT and Claude tokenizers; the word bound catches text of short
//! words and the character bound catches long identifiers, URLs and numbers. When a provider
//! reports its real counts (every one here does in its usage block), those are what the usage
//! table records; the estimate is only used to fit prompts and to fill in a missing count.

/// Default `MAX_PROMPT_TOKENS` (design, "Performance Optimization").
pub const MAX_PROMPT_TOKENS: usize = 4_000;

/// Estimated tokens of `text` (never below the real count for ordinary English).
pub fn estimate(text: &str) -> usize {
    let chars = text.chars().count();
    let words = text.split_whitespace().count();
    chars.div_ceil(4).max((words * 4).div_ceil(3))
}

/// One named part of a prompt, in priority order (the first parts are kept whole first).
#[derive(Clone, Debug)]
pub struct Block {
    pub name: String,
    pub text: String,
}

impl Block {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Block {
        Block { name: name.into(), text: text.into() }
    }
}

/// Blocks fitted to a budget.
#[derive(Clone, Debug)]
pub struct Fitted {
    pub blocks: Vec<Block>,
    /// Names of the blocks cut short or left out.
    pub cut: Vec<String>,
    pub tokens: usize,
}

/// Keep `blocks` within `max_tokens` (counted with [`estimate`] plus `overhead` for the fixed
/// instructions): whole blocks in order while they fit; the first that does not fit is cut at a
/// line boundary (or a character boundary for one long line); the rest are left out.
pub fn fit(blocks: Vec<Block>, max_tokens: usize, overhead: usize) -> Fitted {
    let mut left = max_tokens.saturating_sub(overhead);
    let mut out = Vec::new();
    let mut cut = Vec::new();
    let mut used = overhead;
    for b in blocks {
        // Delimiters and the name cost a few tokens too.
        let cost = estimate(&b.text) + 8;
        if cost <= left {
            left -= cost;
            used += cost;
            out.push(b);
            continue;
        }
        cut.push(b.name.clone());
        if left < 24 {
            continue;
        }
        let text = truncate(&b.text, left - 8);
        if !text.trim().is_empty() {
            let c = estimate(&text) + 8;
            left = left.saturating_sub(c);
            used += c;
            out.push(Block { name: b.name, text });
        }
    }
    Fitted { blocks: out, cut, tokens: used }
}

/// The longest prefix of `text` within `max_tokens`: whole lines, else a cut inside the first
/// line that does not fit.
pub fn truncate(text: &str, max_tokens: usize) -> String {
    if estimate(text) <= max_tokens {
        return text.to_string();
    }
    let mut out = String::new();
    for line in text.lines() {
        let candidate = if out.is_empty() { line.to_string() } else { format!("{out}\n{line}") };
        if estimate(&candidate) > max_tokens {
            if out.is_empty() {
                // One long line: keep whole words up to the budget.
                let mut s = String::new();
                for w in line.split_whitespace() {
                    let next = if s.is_empty() { w.to_string() } else { format!("{s} {w}") };
                    if estimate(&next) > max_tokens {
                        break;
                    }
                    s = next;
                }
                return s;
            }
            break;
        }
        out = candidate;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn estimate_takes_the_larger_bound() {
        assert_eq!(estimate(""), 0);
        assert_eq!(estimate("abcdefghijkl"), 3);
        assert_eq!(estimate("abcd"), 2); // one word: 4/3 rounded up
        // 9 short words, 17 chars: the word bound (12) beats chars/4 (5).
        assert_eq!(estimate("a b c d e f g h i"), 12);
        // One long token-ish string: chars/4.
        assert_eq!(estimate(&"x".repeat(400)), 100);
    }

    #[test]
    fn fit_keeps_priority_blocks_whole_and_cuts_the_rest() {
        let long: String = (0..400).map(|i| format!("line {i} of the resume\n")).collect();
        let f = fit(
            vec![
                Block::new("jd", "Kubernetes, Go"),
                Block::new("resume", long),
                Block::new("x", "y"),
            ],
            300,
            50,
        );
        assert!(f.tokens <= 300, "{}", f.tokens);
        assert_eq!(f.blocks[0].text, "Kubernetes, Go");
        assert!(f.blocks[1].text.starts_with("line 0 of the resume"));
        assert!(f.blocks[1].text.len() < 2000);
        assert_eq!(f.cut, vec!["resume".to_string(), "x".to_string()]);
        assert_eq!(truncate("one two three", 100), "one two three");
        assert_eq!(truncate(&"word ".repeat(100), 8), "word word word word word word");
    }
}
