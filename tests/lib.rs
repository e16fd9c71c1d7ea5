//! Behaviour tests for `apierror` live in `it/`, one module per topic.
