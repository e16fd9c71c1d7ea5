//! The five seed vendors' error enums, each declared as the vendor documents it.
//!
//! | module | seed | format |
//! |---|---|---|
//! | [`everflow`] | 000 (Everflow) | `plain` |
//! | [`nested_api`] | 001 (unnamed) | `nested` |
//! | [`elasticfunnels`] | 002 (`ElasticFunnels`) | `fields` |
//! | [`flow`] | 003 (FLOW) | `reason` |
//! | [`flextell`] | 004 (Flextell) | `flat` |

pub mod elasticfunnels;
pub mod everflow;
pub mod flextell;
pub mod flow;
pub mod nested_api;
