//! `RedisStore`: the fleet's hold and breaker in Redis (feature `redis`).

use std::fmt;
use std::time::Duration;

use ::redis::Script;
use ::redis::aio::{ConnectionManager, ConnectionManagerConfig};

use super::breaker::Outcome;
use super::fleet::{Admission, FleetBreaker, FleetError, FleetFuture, FleetStore, Report};
use super::rng::{Rng as _, SplitMix64};

/// The hold's and the breaker's remaining milliseconds, in one round trip; on a call's
/// first attempt, its deposit into the budget (KEYS[3]; ARGV: deposit in hundredths of
/// a retry, 0 for none, and the capacity).
const BEFORE: &str = r"
local deposit = tonumber(ARGV[1])
if deposit > 0 then
  local capacity = tonumber(ARGV[2])
  local balance = tonumber(redis.call('GET', KEYS[3]) or capacity)
  redis.call('SET', KEYS[3], math.min(balance + deposit, capacity))
end
return {redis.call('PTTL', KEYS[1]), redis.call('PTTL', KEYS[2])}
";

/// A retry's withdrawal from the budget (KEYS[1]), when the balance pays for one; the
/// budget starts full (ARGV[1], the capacity).
const WITHDRAW: &str = r"
local balance = tonumber(redis.call('GET', KEYS[1]) or ARGV[1])
if balance >= 100 then
  redis.call('SET', KEYS[1], balance - 100)
  return 1
end
return 0
";

/// One attempt's report, atomically, on the server's clock: raises the hold (never
/// lowers it); counts a replica's streak of failures, and opens the breaker when enough
/// distinct replicas are on a streak at once; a success ends the replica's streak.
///
/// KEYS: hold, open, the set of failing replicas (scored by when each one's streak
/// expires), this replica's streak. ARGV: hold ms (0: none), outcome (`f`, `s`, `i`),
/// replica id, failure threshold, replicas needed (0: no breaker), open ms, window ms.
const AFTER: &str = r"
local hold = tonumber(ARGV[1])
if hold > 0 and redis.call('PTTL', KEYS[1]) < hold then
  redis.call('SET', KEYS[1], '1', 'PX', hold)
end
local needed = tonumber(ARGV[5])
if needed == 0 or ARGV[2] == 'i' then
  return 0
end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local window = tonumber(ARGV[7])
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
if ARGV[2] == 's' then
  redis.call('DEL', KEYS[4])
  redis.call('ZREM', KEYS[3], ARGV[3])
  return 0
end
local streak = redis.call('INCR', KEYS[4])
redis.call('PEXPIRE', KEYS[4], window)
if streak < tonumber(ARGV[4]) then
  return 0
end
redis.call('ZADD', KEYS[3], now + window, ARGV[3])
redis.call('PEXPIRE', KEYS[3], window)
if redis.call('ZCARD', KEYS[3]) >= needed then
  redis.call('SET', KEYS[2], '1', 'PX', tonumber(ARGV[6]))
  redis.call('DEL', KEYS[3])
  return 1
end
return 0
";

/// What every replica of one service shares, kept in Redis: the hold a vendor's hint set,
/// and (with [`with_breaker`](Self::with_breaker)) a fleet breaker.
///
/// Keys, all with the service in a hash tag so that a cluster keeps them on one node:
/// `apierror:{service}:hold` and `apierror:{service}:open` (relative expiries, `PX`),
/// `apierror:{service}:failing` (the replicas on a streak),
/// `apierror:{service}:streak:<replica>` and `apierror:{service}:budget` (with
/// [`with_budget`](Self::with_budget), in hundredths of a retry). Each question is one script, atomic on the
/// server and on its clock; no client clock enters the arithmetic. The connection is
/// made lazily and remade by itself after an outage (the `redis` crate's
/// `ConnectionManager`); it needs a tokio runtime. Give it to every replica's driver:
///
/// ```no_run
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// use std::sync::Arc;
/// use apierror::retry::{FleetBreaker, RedisStore, RetryDriver, RetryPolicy};
///
/// let store = RedisStore::connect("redis://127.0.0.1:6379", "stripe")
///     .await?
///     .with_breaker(FleetBreaker::new().with_min_replicas(3));
/// let driver = RetryDriver::tokio(RetryPolicy::new()).with_fleet(Arc::new(store));
/// # Ok(())
/// # }
/// ```
pub struct RedisStore {
    connection: ConnectionManager,
    keys: [String; 4],
    streak: String,
    replica: String,
    breaker: Option<FleetBreaker>,
    /// The deposit per call and the capacity, in hundredths of a retry.
    budget: Option<(u64, u64)>,
    before: Script,
    after: Script,
    withdraw: Script,
}

impl RedisStore {
    /// The store for `service` in the Redis at `url` (`redis://host:port/db`), without a
    /// fleet breaker. Nothing is sent until a driver asks, so the first question also
    /// connects, and may not answer within the fleet timeout (the attempt then goes on
    /// without it). At start-up, prefer [`connect`](Self::connect).
    ///
    /// # Errors
    ///
    /// When `url` is not a Redis URL.
    pub fn new(url: &str, service: &str) -> Result<Self, ::redis::RedisError> {
        let client = ::redis::Client::open(url)?;
        let connection = ConnectionManager::new_lazy_with_config(client, Self::config())?;
        Ok(Self::with_connection(connection, service))
    }

    /// [`new`](Self::new), connected: the first question is as fast as the others.
    ///
    /// # Errors
    ///
    /// When `url` is not a Redis URL or Redis cannot be reached now; a driver never needs
    /// it to be (use [`new`](Self::new) to start without it).
    pub async fn connect(url: &str, service: &str) -> Result<Self, ::redis::RedisError> {
        let client = ::redis::Client::open(url)?;
        let connection = ConnectionManager::new_with_config(client, Self::config()).await?;
        Ok(Self::with_connection(connection, service))
    }

    fn with_connection(connection: ConnectionManager, service: &str) -> Self {
        let replica = format!("{:016x}", SplitMix64::from_entropy().next_u64());
        RedisStore {
            connection,
            keys: [
                format!("apierror:{{{service}}}:hold"),
                format!("apierror:{{{service}}}:open"),
                format!("apierror:{{{service}}}:failing"),
                format!("apierror:{{{service}}}:budget"),
            ],
            streak: format!("apierror:{{{service}}}:streak:{replica}"),
            replica,
            breaker: None,
            budget: None,
            before: Script::new(BEFORE),
            after: Script::new(AFTER),
            withdraw: Script::new(WITHDRAW),
        }
    }

    /// Short limits, so that an outage is noticed and left quickly; reconnecting goes on
    /// in the background.
    fn config() -> ConnectionManagerConfig {
        ConnectionManagerConfig::new()
            .set_connection_timeout(Some(Duration::from_millis(500)))
            .set_response_timeout(Some(Duration::from_millis(500)))
            .set_number_of_retries(1)
            .set_max_delay(Duration::from_millis(500))
    }

    /// Shares a breaker too, by `breaker`'s rule (see [`FleetBreaker`]).
    #[must_use]
    pub fn with_breaker(mut self, breaker: FleetBreaker) -> Self {
        self.breaker = Some(breaker);
        self
    }

    /// Shares a retry budget too, as [`RetryBudget`](super::RetryBudget) keeps one in a
    /// process: every call deposits `retry_percent` % of a retry, every retry withdraws
    /// one, and the bucket starts full at `capacity` retries and never holds more.
    #[must_use]
    pub fn with_budget(mut self, retry_percent: u32, capacity: u32) -> Self {
        self.budget = Some((u64::from(retry_percent), u64::from(capacity.max(1)) * 100));
        self
    }

    /// This replica's id in the store (random, per store).
    pub fn replica(&self) -> &str {
        &self.replica
    }
}

impl fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisStore")
            .field("keys", &self.keys)
            .field("replica", &self.replica)
            .field("breaker", &self.breaker)
            .finish_non_exhaustive()
    }
}

/// A remaining time in milliseconds as Redis gives it (`-2`: no key).
fn remaining(ms: i64) -> Option<Duration> {
    u64::try_from(ms)
        .ok()
        .filter(|ms| *ms > 0)
        .map(Duration::from_millis)
}

/// Milliseconds for Redis: at least 1, at most what it takes.
fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis())
        .unwrap_or(u64::MAX)
        .clamp(1, i64::MAX as u64)
}

impl FleetStore for RedisStore {
    fn before_attempt(&self, first: bool) -> FleetFuture<'_, Admission> {
        let mut connection = self.connection.clone();
        let (deposit, capacity) = self.budget.filter(|_| first).unwrap_or((0, 0));
        Box::pin(async move {
            let (held, open): (i64, i64) = self
                .before
                .key(&self.keys[0])
                .key(&self.keys[1])
                .key(&self.keys[3])
                .arg(deposit)
                .arg(capacity)
                .invoke_async(&mut connection)
                .await
                .map_err(FleetError::new)?;
            Ok(Admission::new(remaining(held), remaining(open)))
        })
    }

    fn withdraw(&self) -> Option<FleetFuture<'_, bool>> {
        let (_, capacity) = self.budget?;
        let mut connection = self.connection.clone();
        Some(Box::pin(async move {
            let paid: i64 = self
                .withdraw
                .key(&self.keys[3])
                .arg(capacity)
                .invoke_async(&mut connection)
                .await
                .map_err(FleetError::new)?;
            Ok(paid == 1)
        }))
    }

    fn after_attempt(&self, report: Report) -> FleetFuture<'_, ()> {
        let mut connection = self.connection.clone();
        let outcome = match report.outcome {
            Outcome::Failure => "f",
            Outcome::Success => "s",
            _ => "i",
        };
        let hold = report.hold.map_or(0, millis);
        let breaker = self.breaker.unwrap_or_default();
        let needed = if self.breaker.is_some() {
            breaker.min_replicas
        } else {
            0
        };
        Box::pin(async move {
            let _: i64 = self
                .after
                .key(&self.keys[0])
                .key(&self.keys[1])
                .key(&self.keys[2])
                .key(&self.streak)
                .arg(hold)
                .arg(outcome)
                .arg(&self.replica)
                .arg(breaker.failure_threshold)
                .arg(needed)
                .arg(millis(breaker.open_duration))
                .arg(millis(breaker.window))
                .invoke_async(&mut connection)
                .await
                .map_err(FleetError::new)?;
            Ok(())
        })
    }
}
