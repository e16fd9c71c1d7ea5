//! Vendors' error enums, each declared as the vendor documents it: the five seed vendors
//! on the built-in formats, and four more on formats declared in the attribute.
//!
//! | module | seed | format |
//! |---|---|---|
//! | [`everflow`] | 000 (Everflow) | `plain` |
//! | [`nested_api`] | 001 (unnamed) | `nested` |
//! | [`elasticfunnels`] | 002 (`ElasticFunnels`) | `fields` |
//! | [`flow`] | 003 (FLOW) | `reason` |
//! | [`flextell`] | 004 (Flextell) | `flat` |
//! | [`google`] | Google Cloud (AIP-193) | declared: the key in an array element chosen by `@type`, the status as gRPC's name |
//! | [`github`] | GitHub REST | declared: no code, the status as a string |
//! | [`slack`] | Slack Web API | declared: `"ok":false`, errors sent with 200 |
//! | [`stripe`] | Stripe | declared: keyed by `type` and `code`, members bound to fields |

pub mod elasticfunnels;
pub mod everflow;
pub mod flextell;
pub mod flow;
pub mod github;
pub mod google;
pub mod nested_api;
pub mod slack;
pub mod stripe;
