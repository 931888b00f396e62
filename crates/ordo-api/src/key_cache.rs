//! API keys the server has authenticated, by the SHA-256 of their secret, so that a read need
//! not look its key up and compare hashes again.
//!
//! Keys change only by revocation, and that is done by another process (`ordo keys revoke`),
//! so the cache cannot be told. It does not need to be: a caller authenticated from here has
//! its key id in its `Scope`, and the store checks, inside the read itself, that the key is
//! still there and not revoked (`StoreError::KeyRevoked`, a 401). Only reads take keys from
//! here; a write authenticates at the store.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use ordo_store::{ApiKey, hash_secret};

/// Enough for every key of a large deployment; when full, the cache starts over.
const CAPACITY: usize = 10_000;

/// Bounds how long an unused key stays in memory; correctness does not depend on it.
const TTL: Duration = Duration::from_secs(300);

/// A key by the SHA-256 of its secret, with when it was authenticated.
type Keys = HashMap<[u8; 32], (Arc<ApiKey>, Instant)>;

#[derive(Default)]
pub struct KeyCache {
    keys: RwLock<Keys>,
}

impl KeyCache {
    /// The key a secret authenticated earlier, unless it was dropped or has aged out.
    pub fn get(&self, secret: &str) -> Option<Arc<ApiKey>> {
        let hash = hash_secret(secret);
        let keys = self.keys.read().unwrap_or_else(|e| e.into_inner());
        let (key, at) = keys.get(&hash)?;
        (at.elapsed() < TTL).then(|| Arc::clone(key))
    }

    pub fn insert(&self, secret: &str, key: Arc<ApiKey>) {
        let hash = hash_secret(secret);
        let mut keys = self.keys.write().unwrap_or_else(|e| e.into_inner());
        if keys.len() >= CAPACITY {
            keys.clear();
        }
        keys.insert(hash, (key, Instant::now()));
    }

    /// Forgets a secret whose key the store reported revoked.
    pub fn remove(&self, secret: &str) {
        let hash = hash_secret(secret);
        self.keys
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&hash);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(id: &str) -> Arc<ApiKey> {
        Arc::new(ApiKey {
            id: id.into(),
            tenant: "t".into(),
            name: None,
            scopes: vec!["orders".into()],
            customer_id: None,
            rate_limit: None,
            created_at: 0,
            revoked: false,
            secret_hash: hash_secret(id),
        })
    }

    #[test]
    fn a_secret_finds_only_its_own_key() {
        let cache = KeyCache::default();
        cache.insert("ordo_a_1", key("a"));
        assert_eq!(
            cache.get("ordo_a_1").map(|k| k.id.clone()),
            Some("a".into())
        );
        assert!(cache.get("ordo_a_2").is_none());
        cache.remove("ordo_a_1");
        assert!(cache.get("ordo_a_1").is_none());
    }

    #[test]
    fn a_full_cache_starts_over() {
        let cache = KeyCache::default();
        for n in 0..=CAPACITY {
            cache.insert(&format!("s{n}"), key("k"));
        }
        assert!(cache.get("s0").is_none());
        assert!(cache.get(&format!("s{CAPACITY}")).is_some());
    }
}
