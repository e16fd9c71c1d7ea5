//! `RedisGate`: the fleet's hold in Redis (feature `redis`).

use std::fmt;
use std::time::Duration;

use ::redis::aio::{ConnectionManager, ConnectionManagerConfig};
use ::redis::{AsyncCommands as _, Script};

use super::fleet::{FleetError, FleetFuture, FleetGate};

/// Raises the hold to `ARGV[1]` milliseconds from now, never lowering it: one atomic
/// step on the server, on the server's clock.
const HOLD: &str = r"
local want = tonumber(ARGV[1])
local left = redis.call('PTTL', KEYS[1])
if left < want then
  redis.call('SET', KEYS[1], '1', 'PX', want)
end
return 1
";

/// The hold every replica of one service honours, kept in Redis under
/// `apierror:{service}:gate` as a key with a relative expiry (`PX`), so that no client
/// clock enters the arithmetic.
///
/// Reading the hold is one `PTTL`; raising it is one script, atomic on the server. The
/// connection is made lazily and remade by itself after an outage (the `redis` crate's
/// `ConnectionManager`); it needs a tokio runtime. Give it to every replica's driver:
///
/// ```no_run
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// use std::sync::Arc;
/// use apierror::retry::{RedisGate, RetryDriver, RetryPolicy};
///
/// let gate = RedisGate::connect("redis://127.0.0.1:6379", "stripe").await?;
/// let driver = RetryDriver::tokio(RetryPolicy::new()).with_fleet_gate(Arc::new(gate));
/// # Ok(())
/// # }
/// ```
pub struct RedisGate {
    connection: ConnectionManager,
    key: String,
    hold: Script,
}

impl RedisGate {
    /// A gate for `service` in the Redis at `url` (`redis://host:port/db`). Nothing is
    /// sent until a driver asks, so the first question also connects: it may not answer
    /// within the fleet timeout (the attempt then goes on without it). At start-up,
    /// prefer [`connect`](Self::connect).
    ///
    /// # Errors
    ///
    /// When `url` is not a Redis URL.
    pub fn new(url: &str, service: &str) -> Result<Self, ::redis::RedisError> {
        let client = ::redis::Client::open(url)?;
        Ok(RedisGate {
            connection: ConnectionManager::new_lazy_with_config(client, Self::config())?,
            key: format!("apierror:{service}:gate"),
            hold: Script::new(HOLD),
        })
    }

    /// [`new`](Self::new), connected: the first question is as fast as the others.
    ///
    /// # Errors
    ///
    /// When `url` is not a Redis URL or Redis cannot be reached now; a driver never needs
    /// it to be (use [`new`](Self::new) to start without it).
    pub async fn connect(url: &str, service: &str) -> Result<Self, ::redis::RedisError> {
        let client = ::redis::Client::open(url)?;
        Ok(RedisGate {
            connection: ConnectionManager::new_with_config(client, Self::config()).await?,
            key: format!("apierror:{service}:gate"),
            hold: Script::new(HOLD),
        })
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

    /// The key the hold is kept under.
    pub fn key(&self) -> &str {
        &self.key
    }
}

impl fmt::Debug for RedisGate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisGate")
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}

impl FleetGate for RedisGate {
    fn held(&self) -> FleetFuture<'_, Option<Duration>> {
        let mut connection = self.connection.clone();
        Box::pin(async move {
            let left: i64 = connection.pttl(&self.key).await.map_err(FleetError::new)?;
            // -2: no hold; -1: a key without expiry, which this crate never writes.
            Ok(u64::try_from(left)
                .ok()
                .filter(|ms| *ms > 0)
                .map(Duration::from_millis))
        })
    }

    fn hold(&self, wait: Duration) -> FleetFuture<'_, ()> {
        let mut connection = self.connection.clone();
        let millis = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX).max(1);
        Box::pin(async move {
            let _: i64 = self
                .hold
                .key(&self.key)
                .arg(millis)
                .invoke_async(&mut connection)
                .await
                .map_err(FleetError::new)?;
            Ok(())
        })
    }
}
