//! UTC instants at one-second precision, and the datetime formats of the wire.
//!
//! v1 writes `YYYY-MM-DDTHH:MM:SS` (as the reference examples). Input accepts RFC 3339 with
//! `Z` or an offset, and the bare form, read as UTC. Fractions of a second are accepted and
//! dropped: v1 cannot write them, so keeping them would make a document that reads back
//! differently from what is stored (docs/wire-decisions.md).

use std::fmt;

use time::format_description::FormatItem;
use time::macros::format_description;
use time::{OffsetDateTime, PrimitiveDateTime, UtcOffset};

/// Seconds since the Unix epoch, UTC, within years 0001..=9999.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(i64);

const V1: &[FormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
const SPACED: &[FormatItem<'static>] =
    format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
const BARE_IN: &[FormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second][optional [.[subsecond]]]");

/// 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z.
const MIN: i64 = -62_135_596_800;
const MAX: i64 = 253_402_300_799;

impl Timestamp {
    pub const fn from_unix(seconds: i64) -> Option<Timestamp> {
        if seconds < MIN || seconds > MAX {
            None
        } else {
            Some(Timestamp(seconds))
        }
    }

    pub const fn unix(self) -> i64 {
        self.0
    }

    pub fn now() -> Timestamp {
        Timestamp(OffsetDateTime::now_utc().unix_timestamp())
    }

    /// Parses RFC 3339 (`Z` or an offset) or the bare `YYYY-MM-DDTHH:MM:SS[.f]` as UTC.
    pub fn parse(text: &str) -> Option<Timestamp> {
        let at = if let Ok(at) =
            OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        {
            at
        } else {
            PrimitiveDateTime::parse(text, BARE_IN).ok()?.assume_utc()
        };
        Timestamp::from_unix(at.unix_timestamp())
    }

    fn datetime(self) -> OffsetDateTime {
        // In range by construction.
        OffsetDateTime::from_unix_timestamp(self.0)
            .unwrap_or(OffsetDateTime::UNIX_EPOCH)
            .to_offset(UtcOffset::UTC)
    }

    /// `YYYY-MM-DDTHH:MM:SS`, the v1 form.
    pub fn v1(self) -> String {
        self.datetime().format(V1).unwrap_or_default()
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`, RFC 3339 in UTC.
    pub fn rfc3339(self) -> String {
        let mut text = self.v1();
        text.push('Z');
        text
    }

    /// `YYYY-MM-DD HH:MM:SS`.
    pub fn spaced(self) -> String {
        self.datetime().format(SPACED).unwrap_or_default()
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.v1())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_accepted_form_as_utc() {
        let expected = Timestamp::parse("2022-03-11T22:15:59").unwrap();
        for text in [
            "2022-03-11T22:15:59Z",
            "2022-03-11T22:15:59.250Z",
            "2022-03-12T00:15:59+02:00",
            "2022-03-11T22:15:59.9",
        ] {
            assert_eq!(Timestamp::parse(text), Some(expected), "{text}");
        }
        assert_eq!(expected.v1(), "2022-03-11T22:15:59");
        assert_eq!(expected.rfc3339(), "2022-03-11T22:15:59Z");
        assert_eq!(expected.spaced(), "2022-03-11 22:15:59");
    }

    #[test]
    fn rejects_what_is_not_a_datetime() {
        for text in [
            "",
            "2022-03-11",
            "2022-13-01T00:00:00",
            "yesterday",
            "2022-03-11 22:15:59",
        ] {
            assert_eq!(Timestamp::parse(text), None, "{text}");
        }
    }
}
