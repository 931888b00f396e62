//! The tenants' status dictionaries, kept between requests: every dialect answer reads one.
//!
//! Every change of a dictionary bumps the tenant's row in `status_versions` in the same
//! transaction, so a reader that reads the version first and finds the one it keeps a copy of
//! knows the copy is current — whichever instance or process (an `ordo import` beside the
//! server) wrote it — for the price of one primary-key read instead of the dictionary.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use ordo_model::StatusDictionary;

/// Tenants whose dictionaries are kept at most; past it the copies start over (a server of
/// that many active tenants reads each one again once).
const MAX_TENANTS: usize = 4096;

#[derive(Default)]
pub(crate) struct Dictionaries {
    kept: Mutex<HashMap<String, (i64, Arc<StatusDictionary>)>>,
}

impl Dictionaries {
    /// The copy of `tenant`'s dictionary at `version`, if one is kept.
    pub(crate) fn get(&self, tenant: &str, version: i64) -> Option<Arc<StatusDictionary>> {
        let kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        kept.get(tenant)
            .filter(|(at, _)| *at == version)
            .map(|(_, dictionary)| Arc::clone(dictionary))
    }

    /// Keeps `dictionary`, read at `version` or later: a copy newer than its version is only
    /// read again once, never served stale.
    pub(crate) fn keep(&self, tenant: &str, version: i64, dictionary: Arc<StatusDictionary>) {
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        if kept.len() >= MAX_TENANTS && !kept.contains_key(tenant) {
            kept.clear();
        }
        kept.insert(tenant.to_owned(), (version, dictionary));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_serves_only_its_version() {
        let dictionaries = Dictionaries::default();
        assert!(dictionaries.get("t", 0).is_none());
        dictionaries.keep("t", 3, Arc::new(StatusDictionary::new(Vec::new())));
        assert!(dictionaries.get("t", 3).is_some());
        assert!(dictionaries.get("t", 4).is_none());
        assert!(dictionaries.get("u", 3).is_none());
    }

    #[test]
    fn the_copies_stay_bounded() {
        let dictionaries = Dictionaries::default();
        for n in 0..MAX_TENANTS + 10 {
            dictionaries.keep(
                &n.to_string(),
                0,
                Arc::new(StatusDictionary::new(Vec::new())),
            );
        }
        assert!(dictionaries.kept.lock().unwrap().len() <= MAX_TENANTS);
    }
}
