//! Each vendor's error catalogue (Everflow, `ElasticFunnels`, FLOW, Flextell), written from
//! its enum: a Markdown table like the vendor's own error page, then the same as JSON for
//! Flextell.
//!
//! ```text
//! cargo run --example catalogue
//! ```

use apierror::ApiError;
use apierror::catalogue;
use apierror_examples::vendors::{
    elasticfunnels::ElasticFunnelsError, everflow::EverflowError, flextell::FlextellError,
    flow::FlowError, nested_api::ServiceError,
};

fn main() {
    let vendors: [(&str, &[catalogue::ErrorSpec]); 5] = [
        ("000 Everflow", EverflowError::CATALOGUE),
        ("001 nested API", ServiceError::CATALOGUE),
        ("002 ElasticFunnels", ElasticFunnelsError::CATALOGUE),
        ("003 FLOW", FlowError::CATALOGUE),
        ("004 Flextell", FlextellError::CATALOGUE),
    ];
    for (name, specs) in vendors {
        println!("## {name}\n\n{}", catalogue::markdown(specs));
    }
    println!(
        "## 004 Flextell as JSON\n\n{}",
        catalogue::json(FlextellError::CATALOGUE)
    );
}
