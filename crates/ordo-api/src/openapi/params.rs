//! Request-side schemas that utoipa's attributes cannot say: values a parser refuses although
//! a plain `string` or `integer` would allow them. Each is exactly what the parser named in
//! its doc comment takes, so that a fuzzer (`scripts/schemathesis`) finds no value the
//! document allows and the server refuses, nor the reverse.

use std::borrow::Cow;

use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{
    AnyOfBuilder, KnownFormat, ObjectBuilder, Schema, SchemaFormat, SchemaType, Type,
};
use utoipa::{PartialSchema, ToSchema};

/// A calendar date `YYYY-MM-DD` of years 0001..=9999, February 29 only in leap years: the
/// dates `time` parses, as a regular expression without anchors.
pub(crate) const DATE: &str = concat!(
    "(?:",
    // Any year, a day every month has or its month's own last days.
    "(?:000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})-",
    "(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])",
    "|(?:0[13-9]|1[0-2])-(?:29|30)",
    "|(?:0[13578]|1[02])-31)",
    // February 29: a year divisible by 4 and not by 100, or by 400.
    "|(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)-02-29",
    ")"
);

/// Unicode `White_Space`, what Rust's `str::trim` removes, as the inside of a character class.
const WHITE_SPACE: &str = r"\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000";

/// A time of day `HH:MM:SS`, without anchors.
pub(crate) const TIME: &str = "(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]";

/// A parameter's schema that a type stands for, inlined where used (`#[param(value_type =
/// ..., inline)]`), so that the parameter keeps its description.
macro_rules! param_schema {
    ($(#[$doc:meta])* $name:ident => $schema:expr) => {
        $(#[$doc])*
        pub(crate) struct $name;

        impl PartialSchema for $name {
            fn schema() -> RefOr<Schema> {
                $schema.into()
            }
        }

        impl ToSchema for $name {
            fn name() -> Cow<'static, str> {
                stringify!($name).into()
            }
        }
    };
}

param_schema! {
    /// history_v3's `start-date`/`end-date`: `2019-05-02` (midnight UTC) or
    /// `2019-05-02T22:49:54Z`.
    DateOrUtcDateTime => ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some(format!("^{DATE}(?:T{TIME}Z)?$")))
}

param_schema! {
    /// One value of a repeated query parameter that must not be empty.
    NonEmpty => ObjectBuilder::new().schema_type(Type::String).min_length(Some(1))
}

param_schema! {
    /// A v1 list filter's value (`ListQuery::parse`): 1 to 64 characters, without U+0000.
    FilterValue64 => filter_value(64)
}

param_schema! {
    /// A v1 list filter's value of at most 50 characters (`mpn`), without U+0000.
    FilterValue50 => filter_value(50)
}

fn filter_value(max: usize) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .min_length(Some(1))
        .max_length(Some(max))
        .pattern(Some(r"^[^\u0000]*$"))
}

param_schema! {
    /// A whole number a `u64` holds, `0..=18446744073709551615`: utoipa writes `u64` as
    /// `int64`, which a client reads as at most 2^63 − 1.
    Unsigned => unsigned(0)
}

/// v1's datetimes in (`Timestamp::parse`): RFC 3339 (`Z` or an offset), or
/// `YYYY-MM-DDTHH:MM:SS[.fff]` read as UTC; with `date`, a bare `YYYY-MM-DD` too (midnight
/// UTC); with `nullable`, `null` (read as absent).
pub(crate) fn datetime_in(nullable: bool, date: bool, description: &str) -> RefOr<Schema> {
    let mut any = AnyOfBuilder::new()
        .item(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime))),
        )
        .item(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some(format!(r"^{DATE}T{TIME}(?:\.[0-9]+)?$"))),
        );
    if date {
        any = any.item(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some(format!("^{DATE}$"))),
        );
    }
    if nullable {
        any = any.item(ObjectBuilder::new().schema_type(Type::Null));
    }
    any.description(Some(description)).into()
}

/// A whole number a `u64` holds: `0..=18446744073709551615`. utoipa writes `u64` as `int64`,
/// which a client reads as at most 2^63 − 1.
pub(crate) fn unsigned(minimum: u64) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .minimum(Some(minimum as usize))
        .maximum(Some(u64::MAX as usize))
}

/// Text with a character that `str::trim` keeps and that is not U+0000 (refused in every
/// string ingest reads): `orderNumber`.
pub(crate) fn non_blank() -> String {
    format!(r"[^\u0000{WHITE_SPACE}]")
}

param_schema! {
    /// The NDJSON text of an import: a line that is not blank (`str::trim`), or the body
    /// holds no line and is a 400. Every line is answered: stored, or refused in the report.
    NdjsonText => ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some(format!("[^{WHITE_SPACE}]")))
}

param_schema! {
    /// An import sent as `application/json`: the same NDJSON, whose every JSON text is one
    /// line (a `DocumentInput` with its `kind`, or a `StatusInput` with `"kind": "status"`);
    /// any other value is a refused line in the report, not a refused request.
    NdjsonAsJson => ObjectBuilder::new().schema_type(SchemaType::AnyValue).description(Some(
        "One import line: a `DocumentInput` with its `kind`, or a `StatusInput` with \
         `\"kind\": \"status\"`. Any other JSON value is answered 200 with the line refused \
         in the report."
    ))
}

param_schema! {
    /// Any whole number, however large: history_v3's `limit`, clamped to 1..100 (a number too
    /// large for 64 bits saturates), never refused for its size.
    AnyInteger => ObjectBuilder::new().schema_type(Type::Integer)
}
