//! The regular expressions of `/openapi.json`'s `pattern`s, read by a matcher small enough to
//! trust: anchors `^` and `$` (both required), literals, `\d`, `\.`, classes such as
//! `[0-9a-f]`, groups `(...)`, and the quantifiers `?`, `+`, `*`, `{n}` and `{n,m}`. Anything
//! else fails the test that meets it, so that no pattern is ever skipped without a word.

/// One element of a pattern: what it matches, and how often.
#[derive(Debug)]
struct Piece {
    atom: Atom,
    min: usize,
    max: usize,
}

#[derive(Debug)]
enum Atom {
    /// Characters in these inclusive ranges.
    Class(Vec<(char, char)>),
    Group(Vec<Piece>),
}

#[derive(Debug)]
pub struct Pattern(Vec<Piece>);

impl Pattern {
    pub fn parse(source: &str) -> Pattern {
        let inner = source
            .strip_prefix('^')
            .and_then(|s| s.strip_suffix('$'))
            .unwrap_or_else(|| panic!("{source:?}: a pattern must be anchored at both ends"));
        let chars: Vec<char> = inner.chars().collect();
        let mut at = 0;
        let pieces = sequence(&chars, &mut at, source);
        assert_eq!(at, chars.len(), "{source:?}: unbalanced ')'");
        Pattern(pieces)
    }

    pub fn matches(&self, text: &str) -> bool {
        let chars: Vec<char> = text.chars().collect();
        ends(&self.0, &chars, 0).contains(&chars.len())
    }
}

fn sequence(chars: &[char], at: &mut usize, source: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    while *at < chars.len() && chars[*at] != ')' {
        let atom = match chars[*at] {
            '\\' => {
                *at += 1;
                match chars.get(*at) {
                    Some('d') => Atom::Class(vec![('0', '9')]),
                    Some(&c) if "\\.-()[]{}?+*^$ ".contains(c) => Atom::Class(vec![(c, c)]),
                    other => panic!("{source:?}: the escape {other:?} is not known here"),
                }
            }
            '[' => {
                let mut ranges = Vec::new();
                *at += 1;
                while chars[*at] != ']' {
                    let low = chars[*at];
                    if chars.get(*at + 1) == Some(&'-') && chars.get(*at + 2) != Some(&']') {
                        ranges.push((low, chars[*at + 2]));
                        *at += 3;
                    } else {
                        ranges.push((low, low));
                        *at += 1;
                    }
                }
                Atom::Class(ranges)
            }
            '(' => {
                *at += 1;
                let group = sequence(chars, at, source);
                assert_eq!(chars.get(*at), Some(&')'), "{source:?}: unclosed '('");
                Atom::Group(group)
            }
            c if "|^$.".contains(c) => panic!("{source:?}: {c:?} is not known here"),
            c => Atom::Class(vec![(c, c)]),
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
        Atom::Class(ranges) => match text.get(at) {
            Some(&c) if ranges.iter().any(|&(low, high)| (low..=high).contains(&c)) => {
                vec![at + 1]
            }
            _ => Vec::new(),
        },
        Atom::Group(pieces) => ends(pieces, text, at),
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
    ];
    for (pattern, text, expected) in cases {
        assert_eq!(
            Pattern::parse(pattern).matches(text),
            expected,
            "{pattern} {text}"
        );
    }
}
