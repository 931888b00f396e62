//! API keys: random secrets shown once, kept only as a hash, compared in constant time.
//!
//! A secret reads `ordo_<key id>_<32 hex digits>`: the prefix makes it recognisable (secret
//! scanners, logs), the key id finds the row without a search by hash, and the 128 random
//! bits are what is checked.

use rand::RngCore;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// A key as the store keeps it; the secret itself is never kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiKey {
    pub id: String,
    pub tenant: String,
    pub name: Option<String>,
    pub scopes: Vec<String>,
    pub customer_id: Option<String>,
    /// Requests per second, in bursts of as many; `None` takes the server's default.
    pub rate_limit: Option<u32>,
    pub created_at: i64,
    pub revoked: bool,
    pub secret_hash: [u8; 32],
}

impl ApiKey {
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }

    /// Constant-time check of a presented secret against the stored hash.
    pub fn secret_matches(&self, secret: &str) -> bool {
        hash_secret(secret).ct_eq(&self.secret_hash).into()
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewKey {
    pub tenant: String,
    pub scopes: Vec<String>,
    pub customer_id: Option<String>,
    pub name: Option<String>,
    pub rate_limit: Option<u32>,
}

/// A freshly made secret: printed once, then only its hash exists.
#[derive(Clone, PartialEq, Eq)]
pub struct KeySecret(pub String);

impl std::fmt::Debug for KeySecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeySecret(..)")
    }
}

/// A new key for `new`, with its secret: what each backend then stores.
pub(crate) fn new_key(new: NewKey) -> (ApiKey, KeySecret) {
    let (id, secret) = new_secret();
    let key = ApiKey {
        id,
        tenant: new.tenant,
        name: new.name,
        scopes: new.scopes,
        customer_id: new.customer_id,
        rate_limit: new.rate_limit,
        created_at: ordo_model::Timestamp::now().unix(),
        revoked: false,
        secret_hash: hash_secret(&secret.0),
    };
    (key, secret)
}

fn new_secret() -> (String, KeySecret) {
    let mut rng = rand::rng();
    let mut id = [0u8; 6];
    let mut secret = [0u8; 16];
    rng.fill_bytes(&mut id);
    rng.fill_bytes(&mut secret);
    let id = hex(&id);
    let text = format!("ordo_{id}_{}", hex(&secret));
    (id, KeySecret(text))
}

/// The key id a secret names, if it has the shape of one.
pub fn parse_secret(secret: &str) -> Option<&str> {
    let rest = secret.strip_prefix("ordo_")?;
    let (id, random) = rest.split_once('_')?;
    let hex_digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_hexdigit());
    (hex_digits(id, 12) && hex_digits(random, 32)).then_some(id)
}

pub fn hash_secret(secret: &str) -> [u8; 32] {
    Sha256::digest(secret.as_bytes()).into()
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_prefixed_parse_back_and_differ() {
        let (id, secret) = new_secret();
        assert!(secret.0.starts_with("ordo_"));
        assert_eq!(parse_secret(&secret.0), Some(id.as_str()));
        assert_ne!(new_secret().1, secret);
        assert_eq!(parse_secret("ordo_abc_def"), None);
        assert_eq!(parse_secret("Bearer x"), None);
    }
}
