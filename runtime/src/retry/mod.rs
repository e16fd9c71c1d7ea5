//! Client-side retries: delay policy, circuit breaker, retry budget (being written).
