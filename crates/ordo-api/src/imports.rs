//! A bound on `POST /v1/import`: at most `max_imports` run at once on this instance, and one
//! per tenant. Each holds up to `max_import_bytes` of body and the batches being parsed, so
//! without it concurrent imports take memory without limit. A request over the bound is
//! refused before its body is read.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use crate::ApiError;

/// Seconds a refused import is told to wait: imports take seconds, not milliseconds.
const RETRY_AFTER: u64 = 5;

#[derive(Clone, Debug)]
pub(crate) struct ImportSlots(Arc<Running>);

#[derive(Debug)]
struct Running {
    max: usize,
    tenants: Mutex<HashSet<String>>,
}

/// An import running; dropping it ends it.
#[derive(Debug)]
pub(crate) struct ImportRunning {
    slots: ImportSlots,
    tenant: String,
}

impl ImportSlots {
    pub(crate) fn new(max: usize) -> ImportSlots {
        ImportSlots(Arc::new(Running {
            max: max.max(1),
            tenants: Mutex::new(HashSet::new()),
        }))
    }

    fn tenants(&self) -> std::sync::MutexGuard<'_, HashSet<String>> {
        self.0
            .tenants
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Starts an import of `tenant`, or says why it must wait.
    pub(crate) fn start(&self, tenant: &str) -> Result<ImportRunning, ApiError> {
        let mut tenants = self.tenants();
        if tenants.contains(tenant) {
            return Err(ApiError::TooManyRequests {
                message: "an import of this tenant is running; retry when it has ended".into(),
                retry_after: RETRY_AFTER,
                rate: None,
            });
        }
        if tenants.len() >= self.0.max {
            return Err(ApiError::TooManyRequests {
                message: format!(
                    "{} imports are running, the most this server runs at once; retry later",
                    tenants.len()
                ),
                retry_after: RETRY_AFTER,
                rate: None,
            });
        }
        tenants.insert(tenant.to_owned());
        Ok(ImportRunning {
            slots: self.clone(),
            tenant: tenant.to_owned(),
        })
    }
}

impl Drop for ImportRunning {
    fn drop(&mut self) {
        self.slots.tenants().remove(&self.tenant);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_import_per_tenant_and_at_most_max_in_all() {
        let slots = ImportSlots::new(2);
        let a = slots.start("a").unwrap();
        assert!(slots.start("a").is_err(), "a second import of one tenant");
        let _b = slots.start("b").unwrap();
        let refused = slots.start("c").unwrap_err();
        assert_eq!(refused.status(), axum::http::StatusCode::TOO_MANY_REQUESTS);
        drop(a);
        assert!(slots.start("c").is_ok(), "an ended import frees its place");
    }
}
