//! Case-insensitive glob patterns for `+CGMI`/`+CGMM` answers.
//!
//! `*` matches any run of characters and `?` any one character; everything
//! else matches itself, ignoring ASCII case. Identity answers are short
//! vendor strings ("SIMCOM_SIM800C", "EC25"), so this covers every profile
//! without pulling a regex engine into the daemon.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Glob {
    pattern: String,
    lowered: Vec<char>,
}

impl Glob {
    /// Builds a pattern. Any non-empty string is a valid pattern.
    pub fn new(pattern: &str) -> Option<Self> {
        if pattern.trim().is_empty() {
            return None;
        }
        Some(Self {
            pattern: pattern.to_owned(),
            lowered: pattern.chars().map(|c| c.to_ascii_lowercase()).collect(),
        })
    }

    pub fn as_str(&self) -> &str {
        &self.pattern
    }

    /// How specific the pattern is: its count of literal characters. When
    /// several profiles match an identity, the most specific one wins.
    pub fn specificity(&self) -> usize {
        self.lowered.iter().filter(|c| **c != '*' && **c != '?').count()
    }

    /// Whether the whole of `text` matches the pattern, ignoring ASCII case.
    pub fn matches(&self, text: &str) -> bool {
        let text: Vec<char> = text.chars().map(|c| c.to_ascii_lowercase()).collect();
        let pat = &self.lowered;
        // Iterative wildcard matching with one backtrack point: linear in
        // practice and never recursive, whatever the input.
        let (mut p, mut t) = (0, 0);
        let mut star: Option<(usize, usize)> = None;
        while t < text.len() {
            if p < pat.len() && (pat[p] == '?' || pat[p] == text[t]) {
                p += 1;
                t += 1;
            } else if p < pat.len() && pat[p] == '*' {
                star = Some((p, t));
                p += 1;
            } else if let Some((star_p, star_t)) = star {
                p = star_p + 1;
                t = star_t + 1;
                star = Some((star_p, star_t + 1));
            } else {
                return false;
            }
        }
        pat[p..].iter().all(|c| *c == '*')
    }
}

impl fmt::Display for Glob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.pattern)
    }
}

#[cfg(test)]
mod tests {
    use super::Glob;

    fn check(pattern: &str, text: &str, expect: bool) {
        let glob = Glob::new(pattern).expect("valid pattern");
        assert_eq!(glob.matches(text), expect, "{pattern:?} vs {text:?}");
    }

    #[test]
    fn matches_like_a_shell_glob_ignoring_case() {
        let table = [
            ("quectel", "Quectel", true),
            ("quectel", "Quectel Wireless", false),
            ("quectel*", "Quectel_Ltd", true),
            ("*SIM800*", "SIMCOM_SIM800C", true),
            ("*SIM800*", "SIMCOM_SIM7600E-H", false),
            ("EC25?", "EC25E", true),
            ("EC25?", "EC25", false),
            ("*", "", true),
            ("a*b*c", "aXXbYYc", true),
            ("a*b*c", "aXXbYY", false),
            ("*E3372*", "E3372h-153", true),
            ("??", "abc", false),
        ];
        for (pattern, text, expect) in table {
            check(pattern, text, expect);
        }
    }

    #[test]
    fn specificity_counts_literals() {
        assert_eq!(Glob::new("*SIM800*").map(|g| g.specificity()), Some(6));
        assert_eq!(Glob::new("EC2?").map(|g| g.specificity()), Some(3));
        assert!(Glob::new("  ").is_none());
    }
}
