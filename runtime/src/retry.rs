//! [`RetryPolicy`]: exponential backoff with full jitter, `Retry-After` handling.

use std::time::{Duration, SystemTime};

/// When and how often a failed request is sent again.
///
/// Retried: 429, 5xx, 408 and transport failures (connection errors, timeouts). Actions that
/// only read ([`Action::IDEMPOTENT`](crate::Action::IDEMPOTENT)) are retried by default. Writes
/// are retried with [`RetryPolicy::retry_writes`], and without it only when the server did not
/// act on the attempt, so that sending it again cannot do the write twice: nothing was sent
/// (the connection could not be established, or the token exchange failed), or the answer
/// was 429 (the server refused the request: rate limiters answer before it is handled) or
/// 408 (RFC 9110: the server did not receive the whole request). A 5xx or a timeout may come
/// after the write was done, and is not retried for a write by default. The wait before retry `n`
/// (1-based) is a random duration in `[0, min(max_backoff, initial_backoff * 2^(n-1))]` ("full
/// jitter"), or the server's `Retry-After` when it sent one; a `Retry-After` longer than
/// `max_retry_after`, or a wait that would pass the overall `deadline`, ends the retries with
/// the last error.
///
/// ```
/// use std::time::Duration;
/// use airbyte_agent_runtime::RetryPolicy;
/// let p = RetryPolicy::default()
///     .max_attempts(5)
///     .initial_backoff(Duration::from_millis(50))
///     .deadline(Duration::from_secs(30));
/// assert_eq!(p.max_attempts, 5);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Attempts in total, including the first (at least 1). Default 4.
    pub max_attempts: u32,
    /// Upper bound of the first wait. Default 250 ms.
    pub initial_backoff: Duration,
    /// Upper bound of any computed wait. Default 10 s.
    pub max_backoff: Duration,
    /// The longest `Retry-After` honoured; a longer one ends the retries. Default 60 s.
    pub max_retry_after: Duration,
    /// Overall time budget of one `execute`, all attempts and waits included (`None`: no
    /// limit beyond the attempts). Default 120 s.
    pub deadline: Option<Duration>,
    /// Retry non-idempotent actions (create/update/delete) after any retryable failure too,
    /// also a 5xx or a timeout that may come after the write was done. Default false (writes
    /// are then retried only after a 429, a 408, or an attempt that sent nothing).
    pub retry_writes: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(10),
            max_retry_after: Duration::from_secs(60),
            deadline: Some(Duration::from_secs(120)),
            retry_writes: false,
        }
    }
}

impl RetryPolicy {
    /// No retries: one attempt.
    pub fn none() -> Self {
        RetryPolicy::default().max_attempts(1)
    }

    /// Sets the number of attempts in total (0 is treated as 1).
    pub fn max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n.max(1);
        self
    }

    /// Sets the upper bound of the first wait.
    pub fn initial_backoff(mut self, d: Duration) -> Self {
        self.initial_backoff = d;
        self
    }

    /// Sets the upper bound of any computed wait.
    pub fn max_backoff(mut self, d: Duration) -> Self {
        self.max_backoff = d;
        self
    }

    /// Sets the longest `Retry-After` honoured.
    pub fn max_retry_after(mut self, d: Duration) -> Self {
        self.max_retry_after = d;
        self
    }

    /// Sets the overall time budget of one `execute`.
    pub fn deadline(mut self, d: Duration) -> Self {
        self.deadline = Some(d);
        self
    }

    /// Removes the overall time budget.
    pub fn no_deadline(mut self) -> Self {
        self.deadline = None;
        self
    }

    /// Whether non-idempotent actions are retried too.
    pub fn retry_writes(mut self, yes: bool) -> Self {
        self.retry_writes = yes;
        self
    }

    /// The upper bound of the wait before retry `retry` (1-based):
    /// `min(max_backoff, initial_backoff * 2^(retry-1))`.
    pub fn backoff_cap(&self, retry: u32) -> Duration {
        let shift = retry.saturating_sub(1).min(31);
        self.initial_backoff
            .checked_mul(1u32 << shift)
            .unwrap_or(self.max_backoff)
            .min(self.max_backoff)
    }

    /// A random wait in `[0, backoff_cap(retry)]` (full jitter).
    pub fn backoff(&self, retry: u32) -> Duration {
        let cap = self.backoff_cap(retry);
        let nanos = u64::try_from(cap.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(fastrand::u64(0..=nanos))
    }
}

/// The `Retry-After` read from a delay too large for the client: "a very long time".
pub const RETRY_AFTER_SATURATED: Duration = Duration::from_secs(u64::MAX);

/// Parses a `Retry-After` header value: delay seconds (`"120"`, also `"1.5"`) or an HTTP date
/// (relative to `now`; a date in the past is zero). `None` when unparsable.
///
/// Delay seconds are `1*DIGIT` (RFC 9110 section 10.2.3): any number of digits is valid, so a
/// delay too large for the client is over-range, not malformed, and means "a very long time"
/// (RFC 9111 section 1.2.2): it saturates to [`RETRY_AFTER_SATURATED`], longer than any
/// `max_retry_after`, so the client gives up at once instead of retrying now.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let v = value.trim();
    if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
        return Some(
            v.parse::<u64>()
                .map_or(RETRY_AFTER_SATURATED, Duration::from_secs),
        );
    }
    let decimal = v.split_once('.').is_some_and(|(whole, frac)| {
        !whole.is_empty()
            && whole.bytes().all(|b| b.is_ascii_digit())
            && frac.bytes().all(|b| b.is_ascii_digit())
    });
    if decimal {
        let secs = v.parse::<f64>().ok()?;
        return Some(Duration::try_from_secs_f64(secs).unwrap_or(RETRY_AFTER_SATURATED));
    }
    let when = httpdate::parse_http_date(v).ok()?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_seconds_and_dates() {
        let now = httpdate::parse_http_date("Wed, 21 Oct 2015 07:28:00 GMT").unwrap();
        let cases: &[(&str, Option<Duration>)] = &[
            ("120", Some(Duration::from_secs(120))),
            (" 0 ", Some(Duration::ZERO)),
            ("1.5", Some(Duration::from_millis(1500))),
            (
                "Wed, 21 Oct 2015 07:28:30 GMT",
                Some(Duration::from_secs(30)),
            ),
            ("Wed, 21 Oct 2015 07:27:00 GMT", Some(Duration::ZERO)),
            // RFC 850 and asctime forms are HTTP dates too.
            (
                "Wednesday, 21-Oct-15 07:29:00 GMT",
                Some(Duration::from_secs(60)),
            ),
            ("Wed Oct 21 07:28:05 2015", Some(Duration::from_secs(5))),
            ("-5", None),
            ("soon", None),
            ("", None),
            ("1e3", None),
            ("NaN", None),
            ("inf", None),
            // Over-range delays saturate: never "no header", never a quick retry.
            ("99999999999999999999999", Some(RETRY_AFTER_SATURATED)),
            ("18446744073709551616", Some(RETRY_AFTER_SATURATED)),
            ("18446744073709551615", Some(Duration::from_secs(u64::MAX))),
            ("99999999999999999999999.5", Some(RETRY_AFTER_SATURATED)),
        ];
        for (input, want) in cases {
            assert_eq!(parse_retry_after(input, now), *want, "input {input:?}");
        }
    }

    /// Case 09: an over-range `Retry-After` is at least any configurable `max_retry_after`.
    #[test]
    fn case_09_retry_after_overrange_saturates() {
        let now = SystemTime::now();
        for v in ["99999999999999999999999", "18446744073709551616"] {
            let d = parse_retry_after(v, now).expect("over-range is not malformed");
            assert!(d >= RetryPolicy::default().max_retry_after, "{v}");
            assert!(d >= Duration::from_secs(1 << 31), "{v}");
        }
    }

    #[test]
    fn backoff_is_within_exponential_caps() {
        let p = RetryPolicy::default()
            .initial_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_secs(1));
        assert_eq!(p.backoff_cap(1), Duration::from_millis(100));
        assert_eq!(p.backoff_cap(2), Duration::from_millis(200));
        assert_eq!(p.backoff_cap(4), Duration::from_millis(800));
        assert_eq!(p.backoff_cap(5), Duration::from_secs(1));
        assert_eq!(p.backoff_cap(1000), Duration::from_secs(1));
        for retry in 1..10 {
            let cap = p.backoff_cap(retry);
            let waits: Vec<Duration> = (0..200).map(|_| p.backoff(retry)).collect();
            assert!(waits.iter().all(|w| *w <= cap), "retry {retry}");
            // Full jitter: the waits spread over the range rather than sitting at the cap.
            assert!(waits.iter().any(|w| *w < cap / 2), "retry {retry}");
        }
    }

    #[test]
    fn setters_and_defaults() {
        let d = RetryPolicy::default();
        assert!(d.max_attempts > 1);
        assert!(!d.retry_writes);
        assert_eq!(RetryPolicy::none().max_attempts, 1);
        assert_eq!(RetryPolicy::default().max_attempts(0).max_attempts, 1);
        assert_eq!(RetryPolicy::default().no_deadline().deadline, None);
        assert!(RetryPolicy::default().retry_writes(true).retry_writes);
    }
}
