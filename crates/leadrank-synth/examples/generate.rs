//! Times `generate` and reports file sizes.
//!
//! cargo run --release -p leadrank-synth --example generate -- 1000000 /tmp/leadrank-1m [seed]

use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let leads: usize = args.next().map_or(100_000, |s| s.parse().expect("number of leads"));
    let out = std::path::PathBuf::from(args.next().unwrap_or_else(|| "/tmp/leadrank-synth".into()));
    let seed: u64 = args.next().map_or(42, |s| s.parse().expect("seed"));
    let opts = leadrank_synth::GenerateOptions { leads, seed, as_of: leadrank_synth::default_as_of(), ..Default::default() };
    let start = Instant::now();
    let mut last = 0;
    let summary = leadrank_synth::generate(&opts, &out, &mut |n| {
        if n >= last + 100_000 {
            last = n;
            eprintln!("  {n} leads ({:.1}s)", start.elapsed().as_secs_f64());
        }
    })
    .expect("generate");
    let secs = start.elapsed().as_secs_f64();
    println!("{summary:?}");
    println!("elapsed: {secs:.2}s ({:.0} events/s)", summary.events as f64 / secs);
    for f in leadrank_synth::FILES {
        let len = std::fs::metadata(out.join(f)).map(|m| m.len()).unwrap_or(0);
        println!("{f:>13}: {:>8.1} MB", len as f64 / 1e6);
    }
}
