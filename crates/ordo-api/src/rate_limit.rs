//! Requests per second per key: a generic cell rate algorithm (GCRA), so a key at rate N may
//! send N requests at once and then one every 1/N s. Held in this instance's memory: limits
//! hold per instance (docs/deployment.md says how to size them behind a balancer).

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The verdict on one request of a key with a rate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Verdict {
    /// Requests per second the key may make, in bursts of as many.
    pub rate: u32,
    /// Requests the key could still make at once.
    pub remaining: u32,
    /// Whole seconds until the key may make `rate` requests at once again.
    pub reset: u64,
    /// `Some(seconds)` when the request is over the rate: whole seconds (at least 1) until
    /// one more may be made.
    pub retry_after: Option<u64>,
}

impl Verdict {
    /// The IETF `RateLimit-Policy` and `RateLimit` fields (draft-ietf-httpapi-ratelimit-
    /// headers): the key's quota per one-second window, what is left of it and when it is
    /// whole again.
    pub fn write_headers(&self, headers: &mut axum::http::HeaderMap) {
        let policy = format!("\"key\";q={};w=1", self.rate);
        let now = format!("\"key\";r={};t={}", self.remaining, self.reset);
        for (name, value) in [("ratelimit-policy", policy), ("ratelimit", now)] {
            if let Ok(value) = axum::http::HeaderValue::from_str(&value) {
                headers.insert(name, value);
            }
        }
    }

    /// The 429 of a request over its key's rate.
    pub fn refusal(self) -> Option<crate::ApiError> {
        let retry_after = self.retry_after?;
        Some(crate::ApiError::TooManyRequests {
            message: format!(
                "this key may make {} requests a second; retry in {retry_after} s",
                self.rate
            ),
            retry_after,
            rate: Some(self),
        })
    }
}

/// Each key's theoretical arrival time: when its bucket will be empty again.
#[derive(Debug)]
pub struct RateLimits {
    shards: Vec<Mutex<HashMap<String, Instant>>>,
}

const SHARDS: usize = 16;

/// Keys not seen for this long are forgotten when their shard grows.
const FORGET_AFTER: Duration = Duration::from_secs(60);

impl Default for RateLimits {
    fn default() -> Self {
        RateLimits {
            shards: (0..SHARDS).map(|_| Mutex::new(HashMap::new())).collect(),
        }
    }
}

impl RateLimits {
    /// Counts one request of `key` at `rate` requests per second.
    pub fn check(&self, key: &str, rate: NonZeroU32) -> Verdict {
        self.check_at(key, rate.get(), Instant::now())
    }

    fn check_at(&self, key: &str, rate: u32, now: Instant) -> Verdict {
        let rate = rate.max(1);
        let interval = Duration::from_secs(1) / rate;
        let burst = interval * rate; // the whole bucket: `rate` requests
        let mut shard = self.shards[shard_of(key)]
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if shard.len() > 10_000 {
            shard.retain(|_, tat| now.saturating_duration_since(*tat) < FORGET_AFTER);
        }
        let tat = shard.get(key).copied().unwrap_or(now).max(now);
        let next = tat + interval;
        // The request fits while the bucket after it holds at most `burst`.
        if next.saturating_duration_since(now) > burst {
            let wait = next.saturating_duration_since(now) - burst;
            return Verdict {
                rate,
                remaining: 0,
                reset: whole_seconds(tat.saturating_duration_since(now)),
                retry_after: Some(whole_seconds(wait).max(1)),
            };
        }
        shard.insert(key.to_owned(), next);
        let used = next.saturating_duration_since(now);
        let free = burst.saturating_sub(used);
        let remaining = u32::try_from(free.as_nanos() / interval.as_nanos().max(1)).unwrap_or(0);
        Verdict {
            rate,
            remaining,
            reset: whole_seconds(used),
            retry_after: None,
        }
    }
}

fn whole_seconds(duration: Duration) -> u64 {
    duration.as_secs() + u64::from(duration.subsec_nanos() > 0)
}

fn shard_of(key: &str) -> usize {
    key.bytes()
        .fold(0usize, |h, b| h.wrapping_mul(31).wrapping_add(b as usize))
        % SHARDS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_of_rate_requests_passes_and_the_next_waits() {
        let limits = RateLimits::default();
        let now = Instant::now();
        for i in 0..5 {
            let verdict = limits.check_at("k", 5, now);
            assert_eq!(verdict.retry_after, None, "request {i}");
            assert_eq!(verdict.remaining, 4 - i);
        }
        let over = limits.check_at("k", 5, now);
        assert_eq!(over.retry_after, Some(1));
        assert_eq!(over.remaining, 0);
        // A fifth of a second later one more fits.
        let later = now + Duration::from_millis(200);
        assert_eq!(limits.check_at("k", 5, later).retry_after, None);
        assert!(limits.check_at("k", 5, later).retry_after.is_some());
    }

    #[test]
    fn keys_do_not_share_a_bucket() {
        let limits = RateLimits::default();
        let now = Instant::now();
        assert_eq!(limits.check_at("a", 1, now).retry_after, None);
        assert!(limits.check_at("a", 1, now).retry_after.is_some());
        assert_eq!(limits.check_at("b", 1, now).retry_after, None);
    }

    #[test]
    fn a_sustained_rate_is_held_to_its_limit() {
        let limits = RateLimits::default();
        let start = Instant::now();
        let mut passed = 0;
        // 10 s of requests every millisecond at 100/s: the burst plus 100 a second.
        for ms in 0..10_000 {
            let at = start + Duration::from_millis(ms);
            if limits.check_at("k", 100, at).retry_after.is_none() {
                passed += 1;
            }
        }
        assert!((1090..=1101).contains(&passed), "{passed}");
    }
}
