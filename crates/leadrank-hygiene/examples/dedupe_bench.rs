//! Dedupe quality and speed on the generated labelled set.
//!
//! ```sh
//! cargo run --release -p leadrank-hygiene --example dedupe_bench -- quality 20000 11
//! cargo run --release -p leadrank-hygiene --example dedupe_bench -- write 625000 3 /tmp/labelled.csv
//! ```
//! `one PEOPLE SEED hand|em [CONFIG.toml]` runs the address configuration (or the file) once, for
//! `/usr/bin/time -v`, and prints what each blocking pass added.
//! `quality PEOPLE SEED [CONFIG.toml...]` prints pair precision, recall and F1 for the built-in and the
//! address configurations (and any configuration files given); `write PEOPLE SEED FILE` writes the set as a leads CSV (plus
//! FILE.truth.csv) for timing `leadrank dedupe`.

use std::io::Write;
use std::time::Instant;

use leadrank_hygiene::dedupe::record_of;
use leadrank_hygiene::labelled::{self, pair_metrics};
use leadrank_hygiene::{DedupeConfig, Matcher};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mode = args.first().map(String::as_str).unwrap_or("quality");
    let people: usize = args.get(1).map_or(Ok(20_000), |s| s.parse())?;
    let seed: u64 = args.get(2).map_or(Ok(11), |s| s.parse())?;
    let t = Instant::now();
    let set = labelled::generate(people, seed);
    eprintln!("generated {} records of {} people in {:.2} s", set.leads.len(), people, t.elapsed().as_secs_f64());
    match mode {
        "quality" => {
            let mut configs = vec![
                ("built-in (lead fields)".to_string(), DedupeConfig::default_config()),
                (
                    "address (lead fields + street, city, postcode)".to_string(),
                    DedupeConfig::from_toml(labelled::ADDRESS_CONFIG, "address")?,
                ),
            ];
            let mut em = DedupeConfig::from_toml(labelled::ADDRESS_CONFIG, "address")?;
            em.weights = leadrank_hygiene::Weights::Em;
            em.em.u_from = leadrank_hygiene::em::USource::Random;
            configs.push(("address, weights = em (u from random pairs)".to_string(), em.clone()));
            em.em.u_from = leadrank_hygiene::em::USource::Em;
            configs.push(("address, weights = em (u by EM)".to_string(), em));
            // Further configuration files to compare.
            for path in args.iter().skip(3) {
                configs.push((path.clone(), DedupeConfig::from_toml(&std::fs::read_to_string(path)?, path)?));
            }
            for (name, cfg) in configs {
                let t = Instant::now();
                let records: Vec<_> = set.leads.iter().map(|l| record_of(l, &cfg)).collect();
                let mut cfg = cfg;
                if cfg.weights == leadrank_hygiene::Weights::Em {
                    // Every pair from p >= 0.5 up, to show the precision/recall trade-off.
                    cfg.em.match_probability = 0.5;
                }
                let r = Matcher::new(&cfg).run(&records);
                let m = pair_metrics(&set.truth, &r.clusters);
                println!(
                    "{name}: records {} true pairs {} predicted {} tp {} precision {:.4} recall {:.4} F1 {:.4} candidates {} skipped blocks {} ({:.2} s)",
                    set.leads.len(),
                    m.true_pairs,
                    m.predicted_pairs,
                    m.true_positives,
                    m.precision,
                    m.recall,
                    m.f1,
                    r.stats.candidate_pairs,
                    r.stats.skipped_blocks,
                    t.elapsed().as_secs_f64()
                );
                if let Some(model) = &r.model {
                    if std::env::var_os("SHOW_WEIGHTS").is_some() {
                        println!("  lambda {:.4} iterations {} converged {}", model.lambda, model.iterations, model.converged);
                        for (f, w) in cfg.fields.iter().zip(&model.fields) {
                            let levels: Vec<String> = (1..leadrank_hygiene::em::LEVELS)
                                .map(|l| {
                                    format!(
                                        "{} m {:.3} u {:.4} w {:+.2}",
                                        leadrank_hygiene::em::LEVEL_NAMES[l],
                                        w.m[l],
                                        w.u[l],
                                        w.weight(l)
                                    )
                                })
                                .collect();
                            println!("  {:<12} {}", f.field, levels.join(" | "));
                        }
                    }
                    for threshold in [0.5, 0.8, 0.9, 0.95, 0.99, 0.999] {
                        let keep: Vec<(u32, u32)> =
                            r.pairs.iter().filter(|p| p.probability.is_some_and(|x| x >= threshold)).map(|p| (p.a, p.b)).collect();
                        let m = pair_metrics(&set.truth, &leadrank_hygiene::dedupe::clusters(records.len(), keep));
                        println!("  at p >= {threshold}: precision {:.4} recall {:.4} F1 {:.4}", m.precision, m.recall, m.f1);
                    }
                }
            }
        }
        "one" => {
            // One run of the address configuration with the weights named (hand or em), for
            // timing with /usr/bin/time: the same records `write PEOPLE SEED` writes.
            let mut cfg = match args.get(4) {
                Some(path) => DedupeConfig::from_toml(&std::fs::read_to_string(path)?, path)?,
                None => DedupeConfig::from_toml(labelled::ADDRESS_CONFIG, "address")?,
            };
            if args.get(3).map(String::as_str) == Some("em") {
                cfg.weights = leadrank_hygiene::Weights::Em;
            }
            let t = Instant::now();
            let r = Matcher::new(&cfg).run_leads(&set.leads, &mut |_| {});
            let m = pair_metrics(&set.truth, &r.clusters);
            println!(
                "address, weights {:?}: records {} true pairs {} predicted {} tp {} precision {:.4} recall {:.4} F1 {:.4} candidates {} ({:.2} s matching)",
                cfg.weights,
                set.leads.len(),
                m.true_pairs,
                m.predicted_pairs,
                m.true_positives,
                m.precision,
                m.recall,
                m.f1,
                r.stats.candidate_pairs,
                t.elapsed().as_secs_f64()
            );
            for p in &r.stats.passes {
                println!(
                    "  pass {}: blocks {} pairs {} new {} skipped blocks {} (pairs {})",
                    p.key, p.blocks, p.pairs, p.new_pairs, p.skipped_blocks, p.skipped_pairs
                );
            }
        }
        "write" => {
            let path = args.get(3).map_or("labelled.csv", String::as_str);
            let mut w = std::io::BufWriter::new(std::fs::File::create(path)?);
            leadrank_io::write::write_leads_csv(&mut w, &set.leads, &["street".into(), "city".into(), "postcode".into()])?;
            w.flush()?;
            let mut t = std::io::BufWriter::new(std::fs::File::create(format!("{path}.truth.csv"))?);
            writeln!(t, "lead_id,person")?;
            for (l, p) in set.leads.iter().zip(&set.truth) {
                writeln!(t, "{},{}", l.lead_id, p)?;
            }
            t.flush()?;
            eprintln!("wrote {path}");
        }
        other => anyhow::bail!("unknown mode {other}; use quality, one or write"),
    }
    Ok(())
}
