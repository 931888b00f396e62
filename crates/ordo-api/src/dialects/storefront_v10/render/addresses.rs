//! The parties: the customer's name, billing and shipping addresses from v1's addresses,
//! the seller's from the `sellerAddress` extension; countries as ISO 3166 alpha-2.

use ordo_model::{Address, Document, SellerAddress};

use super::Node;

/// The billing company, else the billing person; else the same of the shipping address;
/// else the customer id (the field may not be empty).
pub(crate) fn customer_name(order: &Document) -> String {
    let name_of = |a: &Address| {
        a.company
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map_or_else(|| person(a), str::to_owned)
    };
    [order.billing.as_ref(), order.shipping.as_ref()]
        .into_iter()
        .flatten()
        .map(name_of)
        .find(|name| !name.is_empty())
        .unwrap_or_else(|| order.customer_id.clone())
}

fn person(a: &Address) -> String {
    format!("{} {}", a.first_name.trim(), a.last_name.trim())
        .trim()
        .to_owned()
}

/// v1's billing address (else its shipping address: the reference's billing is not
/// nullable), with its personal and company codes; `null` when the order has neither.
pub(crate) fn billing(order: &Document) -> Node {
    let Some(a) = order.billing.as_ref().or(order.shipping.as_ref()) else {
        return Node::Null;
    };
    Node::Object(vec![
        ("firstName", Node::str(a.first_name.as_str())),
        ("lastName", Node::str(a.last_name.as_str())),
        ("personalCode", Node::text(a.ext.personal_code.as_deref())),
        ("companyName", Node::text(a.company.as_deref())),
        ("companyCode", Node::text(a.ext.company_code.as_deref())),
        ("companyCode2", Node::text(a.ext.company_code2.as_deref())),
        ("street1", Node::str(a.address1.as_str())),
        ("street2", Node::text(a.address2.as_deref())),
        ("city", Node::str(a.city.as_str())),
        ("postalCode", Node::str(a.zip.as_str())),
        ("stateProv", Node::str(state_prov(&a.state))),
        ("country", Node::str(country(&a.country))),
        ("phoneNumber", Node::text(a.phone.as_deref())),
        ("mobileNumber", Node::text(a.alt_phone.as_deref())),
        ("faxNumber", Node::text(a.fax.as_deref())),
        ("email", Node::text(a.email.as_deref())),
    ])
}

/// v1's shipping address; the recipient is the person, else the company.
pub(crate) fn shipping(order: &Document) -> Node {
    let Some(a) = &order.shipping else {
        return Node::Null;
    };
    let person = person(a);
    let name = if person.is_empty() {
        a.company.clone().unwrap_or_default()
    } else {
        person
    };
    Node::Object(vec![
        ("name", Node::Str(name)),
        ("street1", Node::str(a.address1.as_str())),
        ("street2", Node::text(a.address2.as_deref())),
        ("city", Node::str(a.city.as_str())),
        ("postalCode", Node::str(a.zip.as_str())),
        ("stateProv", Node::str(state_prov(&a.state))),
        ("country", Node::str(country(&a.country))),
    ])
}

/// The `sellerAddress` extension; every field of it may be empty, so a document without
/// one gets an address of empty strings rather than a `null` clients do not expect.
pub(crate) fn seller(order: &Document) -> Node {
    let empty = SellerAddress::default();
    let s = order.ext.seller_address.as_ref().unwrap_or(&empty);
    let text = |v: &Option<String>| Node::text(v.as_deref());
    Node::Object(vec![
        ("companyName", text(&s.company_name)),
        ("companyCode", text(&s.company_code)),
        ("personalCode", text(&s.personal_code)),
        ("street1", text(&s.street1)),
        ("street2", text(&s.street2)),
        ("city", text(&s.city)),
        ("postalCode", text(&s.postal_code)),
        ("stateProv", text(&s.state_prov)),
        (
            "country",
            Node::str(s.country.as_deref().map(country).unwrap_or_default()),
        ),
        ("phoneNumber", text(&s.phone_number)),
        ("mobileNumber", text(&s.mobile_number)),
        ("faxNumber", text(&s.fax_number)),
        ("email", text(&s.email)),
    ])
}

/// A state code (at most 3 characters) as given; a longer name is not a code: `""`.
fn state_prov(state: &str) -> &str {
    let state = state.trim();
    if state.chars().count() <= 3 {
        state
    } else {
        ""
    }
}

/// ISO 3166 alpha-2: two letters as given (upper-cased); a common name or alpha-3 code by
/// [`COUNTRIES`]; anything else `""` (never a guess).
pub(crate) fn country(text: &str) -> String {
    let text = text.trim();
    if text.len() == 2 && text.bytes().all(|b| b.is_ascii_alphabetic()) {
        return text.to_ascii_uppercase();
    }
    let wanted = text.to_lowercase();
    COUNTRIES
        .iter()
        .find(|(_, names)| names.contains(&wanted.as_str()))
        .map(|(code, _)| (*code).to_owned())
        .unwrap_or_default()
}

/// Alpha-2 codes with the names and alpha-3 codes v1 addresses commonly carry.
const COUNTRIES: &[(&str, &[&str])] = &[
    (
        "US",
        &[
            "united states",
            "united states of america",
            "usa",
            "u.s.a.",
            "u.s.",
        ],
    ),
    (
        "GB",
        &[
            "united kingdom",
            "great britain",
            "england",
            "scotland",
            "wales",
            "uk",
            "gbr",
        ],
    ),
    ("CA", &["canada", "can"]),
    ("MX", &["mexico", "méxico", "mex"]),
    ("AU", &["australia", "aus"]),
    ("NZ", &["new zealand", "nzl"]),
    ("IE", &["ireland", "irl"]),
    ("DE", &["germany", "deutschland", "deu"]),
    ("FR", &["france", "fra"]),
    ("IT", &["italy", "italia", "ita"]),
    ("ES", &["spain", "españa", "esp"]),
    ("PT", &["portugal", "prt"]),
    ("NL", &["netherlands", "the netherlands", "holland", "nld"]),
    ("BE", &["belgium", "bel"]),
    ("LU", &["luxembourg", "lux"]),
    ("AT", &["austria", "österreich", "aut"]),
    ("CH", &["switzerland", "schweiz", "che"]),
    ("DK", &["denmark", "dnk"]),
    ("SE", &["sweden", "swe"]),
    ("NO", &["norway", "nor"]),
    ("FI", &["finland", "fin"]),
    ("IS", &["iceland", "isl"]),
    ("PL", &["poland", "pol"]),
    ("CZ", &["czech republic", "czechia", "cze"]),
    ("SK", &["slovakia", "svk"]),
    ("SI", &["slovenia", "svn"]),
    ("HU", &["hungary", "hun"]),
    ("RO", &["romania", "rou"]),
    ("BG", &["bulgaria", "bgr"]),
    ("GR", &["greece", "grc"]),
    ("HR", &["croatia", "hrv"]),
    ("EE", &["estonia", "est"]),
    ("LV", &["latvia", "lva"]),
    ("LT", &["lithuania", "ltu"]),
    ("UA", &["ukraine", "ukr"]),
    ("TR", &["turkey", "türkiye", "tur"]),
    ("IL", &["israel", "isr"]),
    ("AE", &["united arab emirates", "uae", "are"]),
    ("IN", &["india", "ind"]),
    ("CN", &["china", "chn"]),
    ("JP", &["japan", "jpn"]),
    ("KR", &["south korea", "korea", "republic of korea", "kor"]),
    ("SG", &["singapore", "sgp"]),
    ("BR", &["brazil", "brasil", "bra"]),
    ("AR", &["argentina", "arg"]),
    ("CL", &["chile", "chl"]),
    ("CO", &["colombia", "col"]),
    ("ZA", &["south africa", "zaf"]),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries_become_alpha_2() {
        for (given, expected) in [
            ("GB", "GB"),
            ("gb", "GB"),
            ("United Kingdom", "GB"),
            (" united states ", "US"),
            ("USA", "US"),
            ("DEU", "DE"),
            ("Atlantis", ""),
            ("", ""),
        ] {
            assert_eq!(country(given), expected, "{given:?}");
        }
    }

    #[test]
    fn long_state_names_are_not_codes() {
        assert_eq!(state_prov("LND"), "LND");
        assert_eq!(state_prov("FL"), "FL");
        assert_eq!(state_prov("Florida"), "");
    }
}
