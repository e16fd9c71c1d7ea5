//! Decodes one `scaling` body `repeat` times, for an instruction count that the machine's
//! noise does not move:
//!
//! ```text
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!     target/release/scaling-count <shape> <members> <repeat>
//! ```
//!
//! The difference between the totals for two `repeat`s, divided by the difference in
//! `repeat`, is the cost of one decode without building the body.

use std::hint::black_box;
use std::process::ExitCode;

use apierror_benches::scaling::SHAPES;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [name, members, repeat] = args.as_slice() else {
        eprintln!("usage: scaling-count <shape> <members> <repeat>");
        return ExitCode::FAILURE;
    };
    let Some(shape) = SHAPES.iter().find(|shape| shape.name == name) else {
        let names: Vec<&str> = SHAPES.iter().map(|shape| shape.name).collect();
        eprintln!("no shape {name}; the shapes are {}", names.join(", "));
        return ExitCode::FAILURE;
    };
    let (Ok(members), Ok(repeat)) = (members.parse::<usize>(), repeat.parse::<usize>()) else {
        eprintln!("members and repeat are whole numbers");
        return ExitCode::FAILURE;
    };
    let body = (shape.body)(members);
    let mut fields = 0;
    for _ in 0..repeat {
        fields = (shape.decode)(black_box(body.as_bytes()));
    }
    println!("{name} {members}: {fields} fields, {} bytes", body.len());
    ExitCode::SUCCESS
}
