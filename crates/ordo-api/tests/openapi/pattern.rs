//! The regular expressions of `/openapi.json`'s `pattern`s, read by a matcher small enough to
//! trust: anchors `^` and `$` (a side without one matches anywhere, as JSON Schema's patterns
//! search), literals, `\d`, escaped punctuation, `\t`, `\r`, `\uXXXX`, classes such as
//! `[0-9a-f]` and `[^\u0000 ]`, groups `(...)` and `(?:...)` with alternatives `|`, and the
//! quantifiers `?`, `+`, `*`, `{n}` and `{n,m}`. Anything else fails the test that meets it,
//! so that no pattern is ever skipped without a word.

/// One element of a pattern: what it matches, and how often.
#[derive(Debug)]
struct Piece {
    atom: Atom,
    min: usize,
    max: usize,
}

#[derive(Debug)]
enum Atom {
    /// Characters in these inclusive ranges, or (negated) outside all of them.
    Class(Vec<(char, char)>, bool),
    /// Alternatives, each a sequence.
    Group(Vec<Vec<Piece>>),
}

#[derive(Debug)]
pub struct Pattern {
    alternatives: Vec<Vec<Piece>>,
    anchored_start: bool,
    anchored_end: bool,
}

impl Pattern {
    pub fn parse(source: &str) -> Pattern {
        let (anchored_start, inner) = match source.strip_prefix('^') {
            Some(rest) => (true, rest),
            None => (false, source),
        };
        let (anchored_end, inner) = match inner.strip_suffix('$') {
            Some(rest) if !rest.ends_with('\\') => (true, rest),
            _ => (false, inner),
        };
        let chars: Vec<char> = inner.chars().collect();
        let mut at = 0;
        let alternatives = alternatives(&chars, &mut at, source);
        assert_eq!(at, chars.len(), "{source:?}: unbalanced ')'");
        Pattern {
            alternatives,
            anchored_start,
            anchored_end,
        }
    }

    pub fn matches(&self, text: &str) -> bool {
        let chars: Vec<char> = text.chars().collect();
        let starts = if self.anchored_start {
            0..=0
        } else {
            0..=chars.len()
        };
        starts.into_iter().any(|start| {
            self.alternatives.iter().any(|pieces| {
                let ends = ends(pieces, &chars, start);
                if self.anchored_end {
                    ends.contains(&chars.len())
                } else {
                    !ends.is_empty()
                }
            })
        })
    }
}

fn alternatives(chars: &[char], at: &mut usize, source: &str) -> Vec<Vec<Piece>> {
    let mut out = vec![sequence(chars, at, source)];
    while chars.get(*at) == Some(&'|') {
        *at += 1;
        out.push(sequence(chars, at, source));
    }
    out
}

/// The character of an escape whose `\` is behind `at`; `None` for `\d`.
fn escape(chars: &[char], at: &mut usize, source: &str) -> Option<char> {
    let c = match chars.get(*at) {
        Some('d') => return None,
        Some('t') => '\t',
        Some('r') => '\r',
        Some('n') => '\n',
        Some('u') => {
            let hex: String = chars[*at + 1..*at + 5].iter().collect();
            *at += 4;
            u32::from_str_radix(&hex, 16)
                .ok()
                .and_then(char::from_u32)
                .unwrap_or_else(|| panic!("{source:?}: bad escape \\u{hex}"))
        }
        Some(&c) if "\\.-()[]{}?+*^$| /".contains(c) => c,
        other => panic!("{source:?}: the escape {other:?} is not known here"),
    };
    Some(c)
}

/// One character of a class at `at`, escapes read; `at` is left on its last character.
fn class_char(chars: &[char], at: &mut usize, source: &str) -> char {
    if chars[*at] == '\\' {
        *at += 1;
        escape(chars, at, source)
            .unwrap_or_else(|| panic!("{source:?}: \\d is not known inside a class"))
    } else {
        chars[*at]
    }
}

fn sequence(chars: &[char], at: &mut usize, source: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    while *at < chars.len() && chars[*at] != ')' && chars[*at] != '|' {
        let atom = match chars[*at] {
            '\\' => {
                *at += 1;
                match escape(chars, at, source) {
                    None => Atom::Class(vec![('0', '9')], false),
                    Some(c) => Atom::Class(vec![(c, c)], false),
                }
            }
            '[' => {
                let mut ranges = Vec::new();
                *at += 1;
                let negated = chars[*at] == '^';
                if negated {
                    *at += 1;
                }
                while chars[*at] != ']' {
                    let low = class_char(chars, at, source);
                    *at += 1;
                    if chars.get(*at) == Some(&'-') && chars.get(*at + 1) != Some(&']') {
                        *at += 1;
                        let high = class_char(chars, at, source);
                        *at += 1;
                        ranges.push((low, high));
                    } else {
                        ranges.push((low, low));
                    }
                }
                Atom::Class(ranges, negated)
            }
            '(' => {
                *at += 1;
                if chars[*at..].starts_with(&['?', ':']) {
                    *at += 2;
                }
                let group = alternatives(chars, at, source);
                assert_eq!(chars.get(*at), Some(&')'), "{source:?}: unclosed '('");
                Atom::Group(group)
            }
            c if "^$.".contains(c) => panic!("{source:?}: {c:?} is not known here"),
            c => Atom::Class(vec![(c, c)], false),
        };
        *at += 1;
        let (min, max) = quantifier(chars, at, source);
        pieces.push(Piece { atom, min, max });
    }
    pieces
}

fn quantifier(chars: &[char], at: &mut usize, source: &str) -> (usize, usize) {
    let bounds = match chars.get(*at) {
        Some('?') => (0, 1),
        Some('+') => (1, usize::MAX),
        Some('*') => (0, usize::MAX),
        Some('{') => {
            let close = chars[*at..]
                .iter()
                .position(|&c| c == '}')
                .unwrap_or_else(|| panic!("{source:?}: unclosed '{{'"));
            let text: String = chars[*at + 1..*at + close].iter().collect();
            let number = |t: &str| {
                t.parse::<usize>()
                    .unwrap_or_else(|_| panic!("{source:?}: bad bound {t:?}"))
            };
            let bounds = match text.split_once(',') {
                Some((low, high)) => (number(low), number(high)),
                None => (number(&text), number(&text)),
            };
            *at += close;
            bounds
        }
        _ => return (1, 1),
    };
    *at += 1;
    bounds
}

/// Every position at which `pieces` can end when they start at `start`.
fn ends(pieces: &[Piece], text: &[char], start: usize) -> Vec<usize> {
    let Some((first, rest)) = pieces.split_first() else {
        return vec![start];
    };
    let mut out = Vec::new();
    let mut reached = vec![start];
    for count in 0..=first.max.min(text.len() + 1) {
        if count >= first.min {
            for &at in &reached {
                out.extend(ends(rest, text, at));
            }
        }
        let mut next: Vec<usize> = reached
            .iter()
            .flat_map(|&at| one(&first.atom, text, at))
            .collect();
        next.sort_unstable();
        next.dedup();
        if next.is_empty() || next == reached {
            break;
        }
        reached = next;
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Where one occurrence of `atom` starting at `at` can end.
fn one(atom: &Atom, text: &[char], at: usize) -> Vec<usize> {
    match atom {
        Atom::Class(ranges, negated) => match text.get(at) {
            Some(&c) if ranges.iter().any(|&(low, high)| (low..=high).contains(&c)) != *negated => {
                vec![at + 1]
            }
            _ => Vec::new(),
        },
        Atom::Group(alternatives) => {
            let mut out: Vec<usize> = alternatives
                .iter()
                .flat_map(|pieces| ends(pieces, text, at))
                .collect();
            out.sort_unstable();
            out.dedup();
            out
        }
    }
}

#[test]
fn patterns_match_what_they_say() {
    let cases = [
        (
            r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$",
            "2021-01-05T00:42:54",
            true,
        ),
        (
            r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$",
            "2021-01-05T00:42:54Z",
            false,
        ),
        (
            r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$",
            "2021-01-05 00:42:54",
            true,
        ),
        (r"^\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\dZ)?$", "2019-05-02", true),
        (
            r"^\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\dZ)?$",
            "2019-05-02T22:49:54Z",
            true,
        ),
        (
            r"^\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\dZ)?$",
            "2019-05-02T22:49:54",
            false,
        ),
        (r"^-?\d+\.\d{3}$", "-56.330", true),
        (r"^-?\d+\.\d{3}$", "56.33", false),
        (r"^-?\d+\.\d{3}$", "56,330", false),
        (
            r"^[A-Za-z0-9]{32}$",
            "0123456789abcdefABCDEF0123456789",
            true,
        ),
        (
            r"^[A-Za-z0-9]{32}$",
            "0123456789abcdef-BCDEF0123456789",
            false,
        ),
        (
            "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
            "154219e9-bf4a-4f41-9c72-0449a98db62f",
            true,
        ),
        (
            "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
            "154219E9-bf4a-4f41-9c72-0449a98db62f",
            false,
        ),
        (r"^(?:ab|c)d$", "abd", true),
        (r"^(?:ab|c)d$", "cd", true),
        (r"^(?:ab|c)d$", "abcd", false),
        (r"[^\u0000\t-\r \u3000]", " \t x ", true),
        (r"[^\u0000\t-\r \u3000]", " \t\u{3000} ", false),
        (r"[^\u0000\t-\r \u3000]", "\0", false),
    ];
    for (pattern, text, expected) in cases {
        assert_eq!(
            Pattern::parse(pattern).matches(text),
            expected,
            "{pattern} {text}"
        );
    }
}
