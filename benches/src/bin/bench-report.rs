//! Turns criterion's results into the Markdown tables of `BENCHMARKS.md`.
//!
//! Reads every `<group>/<function>/new/{benchmark,estimates}.json` under the criterion
//! directory (the first argument, else the workspace's `target/criterion`) and prints one
//! table per family of groups (`encode`, `decode`, `from_response`, …): a row per group, a
//! column per implementation, each cell the median time per operation and its ratio to
//! the group's baseline (`serde_derive`, or `1_thread` for the retry groups). Then it
//! checks the runtime targets of issue 6 against those ratios.
//!
//! ```text
//! cargo run -p apierror-benches --bin bench-report [target/criterion]
//! ```

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// One measured function: its group, its name and its median in nanoseconds.
struct Measurement {
    group: String,
    function: String,
    median_ns: f64,
}

/// Implementations that are the baseline of their group, in order of preference.
const BASELINES: [&str; 2] = ["serde_derive", "1_thread"];

/// The order of the families in the report; others follow in name order.
const FAMILIES: [&str; 7] = [
    "encode",
    "encode_static",
    "decode",
    "to_response",
    "from_response",
    "breaker",
    "budget",
];

fn main() {
    let root = std::env::args_os().nth(1).map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/criterion"),
        PathBuf::from,
    );
    let mut measurements = Vec::new();
    collect(&root, &mut measurements);
    if measurements.is_empty() {
        eprintln!(
            "no criterion results under {}; run the benches first",
            root.display()
        );
        std::process::exit(1);
    }
    print!("{}", report(&measurements));
}

/// Finds every `new/benchmark.json` below `dir`.
fn collect(dir: &Path, out: &mut Vec<Measurement>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if !path.is_dir() {
            continue;
        }
        if path.file_name().is_some_and(|name| name == "new") {
            if let Some(measurement) = read(&path) {
                out.push(measurement);
            }
        } else {
            collect(&path, out);
        }
    }
}

/// Reads one result directory.
fn read(dir: &Path) -> Option<Measurement> {
    let json = |name: &str| -> Option<Value> {
        let text = std::fs::read_to_string(dir.join(name)).ok()?;
        serde_json::from_str(&text).ok()
    };
    let benchmark = json("benchmark.json")?;
    let estimates = json("estimates.json")?;
    Some(Measurement {
        group: benchmark["group_id"].as_str()?.to_owned(),
        function: benchmark["function_id"].as_str()?.to_owned(),
        median_ns: estimates["median"]["point_estimate"].as_f64()?,
    })
}

/// The family of a group: what comes before its first `/`.
fn family(group: &str) -> &str {
    group.split_once('/').map_or(group, |(family, _)| family)
}

/// A time in nanoseconds, to three significant figures or so.
fn nanos(value: f64) -> String {
    if value < 10.0 {
        format!("{value:.2}")
    } else if value < 100.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.0}")
    }
}

type Groups<'a> = BTreeMap<&'a str, BTreeMap<&'a str, f64>>;

fn baseline<'a>(functions: &BTreeMap<&'a str, f64>) -> Option<(&'a str, f64)> {
    BASELINES
        .iter()
        .find_map(|name| functions.get_key_value(name).map(|(k, v)| (*k, *v)))
}

fn report(measurements: &[Measurement]) -> String {
    let mut families: BTreeMap<&str, Groups<'_>> = BTreeMap::new();
    for m in measurements {
        families
            .entry(family(&m.group))
            .or_default()
            .entry(m.group.as_str())
            .or_default()
            .insert(m.function.as_str(), m.median_ns);
    }
    let mut order: Vec<&str> = families.keys().copied().collect();
    order.sort_by_key(|name| {
        (
            FAMILIES
                .iter()
                .position(|f| f == name)
                .unwrap_or(FAMILIES.len()),
            *name,
        )
    });

    let mut out = String::new();
    for name in order {
        let groups = &families[name];
        table(&mut out, name, groups);
    }
    targets(&mut out, &families);
    out
}

/// One family's table: a row per group, a column per implementation.
fn table(out: &mut String, name: &str, groups: &Groups<'_>) {
    let mut columns: Vec<&str> = Vec::new();
    for functions in groups.values() {
        if let Some((base, _)) = baseline(functions)
            && !columns.contains(&base)
        {
            columns.insert(0, base);
        }
    }
    for preferred in ["apierror"] {
        if groups.values().any(|f| f.contains_key(preferred)) {
            columns.push(preferred);
        }
    }
    for functions in groups.values() {
        for function in functions.keys() {
            if !columns.contains(function) {
                columns.push(function);
            }
        }
    }

    let _ = writeln!(out, "### `{name}`\n");
    let _ = writeln!(
        out,
        "Median ns/op; in parentheses, the ratio to the row's baseline ({}).\n",
        columns.first().copied().unwrap_or("-")
    );
    let _ = writeln!(out, "| group | {} |", columns.join(" | "));
    let _ = writeln!(out, "|---|{}", "---:|".repeat(columns.len()));
    for (group, functions) in groups {
        let base = baseline(functions).map(|(_, v)| v);
        let cells: Vec<String> = columns
            .iter()
            .map(|column| match (functions.get(column), base) {
                (Some(value), Some(base)) => format!("{} ({:.2}×)", nanos(*value), value / base),
                (Some(value), None) => nanos(*value),
                (None, _) => "—".to_owned(),
            })
            .collect();
        let row = group.split_once('/').map_or(*group, |(_, rest)| rest);
        let _ = writeln!(out, "| {row} | {} |", cells.join(" | "));
    }
    let _ = writeln!(out);
}

/// The runtime targets of issue 6, checked against the measured ratios.
fn targets(out: &mut String, families: &BTreeMap<&str, Groups<'_>>) {
    let _ = writeln!(out, "### Targets (runtime)\n");
    let _ = writeln!(out, "| target | worst case | result |");
    let _ = writeln!(out, "|---|---|---|");
    for (family_name, limit) in [("encode", 1.05), ("decode", 1.2)] {
        let Some(groups) = families.get(family_name) else {
            continue;
        };
        let mut worst: Option<(&str, f64)> = None;
        for (group, functions) in groups {
            let (Some((_, base)), Some(ours)) = (baseline(functions), functions.get("apierror"))
            else {
                continue;
            };
            let ratio = ours / base;
            if worst.is_none_or(|(_, w)| ratio > w) {
                worst = Some((group, ratio));
            }
        }
        if let Some((group, ratio)) = worst {
            let verdict = if ratio <= limit { "met" } else { "missed" };
            let _ = writeln!(
                out,
                "| {family_name} within {limit}× of serde_derive | {group}: {ratio:.2}× | {verdict} |"
            );
        }
    }
    let peers = ["http-api-problem", "problem_details", "error-envelope"];
    for groups in families.values() {
        for (group, functions) in groups {
            let Some(ours) = functions.get("apierror") else {
                continue;
            };
            for peer in peers {
                if let Some(theirs) = functions.get(peer) {
                    let verdict = if ours < theirs { "met" } else { "missed" };
                    let _ = writeln!(
                        out,
                        "| {group}: faster than {peer} | {} vs {} ns ({:.2}×) | {verdict} |",
                        nanos(*ours),
                        nanos(*theirs),
                        ours / theirs
                    );
                }
            }
        }
    }
    let _ = writeln!(out);
}
