//! Lists filtered by `productId`, `mpn` or `orderNumber` (docs/search.md): SQL over
//! `doc_terms`, which holds one row per distinct (term, value) of every document, keyed
//! `(tenant, kind, field, value, updated_at, id)` and carrying the document's customer. A page
//! walks the first term's index range in list order; further terms are looked up by key per
//! entry, the customer is read from the entry itself, and only the page's documents are read.
//! Both backends use the same SQL but for placeholders, casts and value lists.

use ordo_model::{ListQuery, Term};

/// What differs between the backends' SQL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

/// What the SQL of a filtered window depends on (never the values): its direction, whether
/// it is bounded to one customer, and the terms it filters by, each with whether it has
/// several values (an `IN` list, whose entries then need sorting and deduplicating) or one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shape {
    pub newest: bool,
    pub by_customer: bool,
    pub terms: Vec<(Term, bool)>,
}

impl Shape {
    pub fn of(query: &ListQuery, by_customer: bool) -> Shape {
        Shape {
            newest: query.newest,
            by_customer,
            terms: query
                .filter
                .terms()
                .iter()
                .map(|(term, values)| (*term, values.len() > 1))
                .collect(),
        }
    }
}

impl Dialect {
    fn param(self, n: usize) -> String {
        match self {
            Dialect::Sqlite => format!("?{n}"),
            Dialect::Postgres => format!("${n}"),
        }
    }

    /// `value` is one of the values bound to parameter `n`.
    fn matches(self, column: &str, n: usize, several: bool) -> String {
        match (self, several) {
            (_, false) => format!("{column} = {}", self.param(n)),
            (Dialect::Sqlite, true) => format!("{column} IN (SELECT value FROM json_each(?{n}))"),
            (Dialect::Postgres, true) => format!("{column} = ANY(${n}::text[])"),
        }
    }
}

/// The keys `(updated_at, id)` of a filtered window, `LIMIT $5 OFFSET $6`. Parameters as in
/// the plain list (`$1` tenant, `$2` kind, `$3`..`$4` the range, after the key `($7, $8)`),
/// then the customer (when `by_customer`), then the values of each term in `shape.terms`'s
/// order: one text, or (several) a JSON array on SQLite and a `text[]` on PostgreSQL.
pub fn keys_sql(dialect: Dialect, shape: &Shape) -> String {
    let p = |n| dialect.param(n);
    let (dir, after) = if shape.newest {
        ("DESC", "<")
    } else {
        ("ASC", ">")
    };
    // As the plain lists: SQLite seeks to the start key when the range's other end is the
    // only other bound on `updated_at`; PostgreSQL takes both.
    let range = match (dialect, shape.newest) {
        (Dialect::Sqlite, true) => "t.updated_at >= ?3 AND (t.updated_at, t.id) < (?7, ?8)",
        (Dialect::Sqlite, false) => "t.updated_at <= ?4 AND (t.updated_at, t.id) > (?7, ?8)",
        (Dialect::Postgres, _) => "t.updated_at BETWEEN $3 AND $4",
    };
    let range = match dialect {
        Dialect::Sqlite => range.to_owned(),
        Dialect::Postgres => {
            format!("{range} AND (t.updated_at, t.id) {after} ($7::bigint, $8::text)")
        }
    };
    let mut next = 9;
    let mut filter = String::new();
    if shape.by_customer {
        filter.push_str(&format!(" AND t.customer_id = {}", p(next)));
        next += 1;
    }
    let mut first = None;
    for (i, &(term, several)) in shape.terms.iter().enumerate() {
        let code = term.code();
        if i == 0 {
            first = Some((code, dialect.matches("t.value", next, several), several));
        } else {
            filter.push_str(&format!(
                " AND EXISTS (SELECT 1 FROM doc_terms x
                     WHERE x.tenant = t.tenant AND x.kind = t.kind AND x.field = {code}
                       AND {} AND x.updated_at = t.updated_at AND x.id = t.id)",
                dialect.matches("x.value", next, several)
            ));
        }
        next += 1;
    }
    let (code, first, several) = first.expect("a filtered window filters by a term");
    // An entry per value: a document holding two of the values asked for comes twice.
    let distinct = if several { "DISTINCT " } else { "" };
    format!(
        "SELECT {distinct}t.updated_at, t.id FROM doc_terms t
         WHERE t.tenant = {p1} AND t.kind = {p2} AND t.field = {code} AND {first}
           AND {range}{filter}
         ORDER BY t.updated_at {dir}, t.id {dir} LIMIT {p5} OFFSET {p6}",
        p1 = p(1),
        p2 = p(2),
        p5 = p(5),
        p6 = p(6),
    )
}

/// A page of a filtered window: its keys, then the documents by primary key.
pub fn list_sql(dialect: Dialect, shape: &Shape) -> String {
    let dir = if shape.newest { "DESC" } else { "ASC" };
    let (p1, p2) = (dialect.param(1), dialect.param(2));
    format!(
        "SELECT d.kind, d.id, d.revision, d.body FROM ({keys}) page
         JOIN documents d ON d.tenant = {p1} AND d.kind = {p2} AND d.id = page.id
         ORDER BY page.updated_at {dir}, page.id {dir}",
        keys = keys_sql(dialect, shape)
    )
}

/// The customer a list is bounded to: the key's, the one asked for, or none; `None` when a
/// key limited to one customer asks for another, whose window is empty for it.
pub(crate) fn customer<'a>(
    own: Option<&'a str>,
    asked: Option<&'a str>,
) -> Option<Option<&'a str>> {
    match (own, asked) {
        (Some(own), Some(asked)) if own != asked => None,
        (own, asked) => Some(asked.or(own)),
    }
}
