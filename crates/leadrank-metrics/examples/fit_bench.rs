//! Fits leadrank's logistic regression on a dense CSV matrix and prints the fit time and
//! training / held-out ROC AUC as one JSON line. Used by `bench/fit_compare.py`, which times
//! scikit-learn on the same file.
//!
//! ```sh
//! cargo run --release -p leadrank-metrics --example fit_bench -- MATRIX.csv [--l2 1.0] [--hessian-rows 150000]
//! ```
//!
//! The CSV has a header; every column is a number; the column named `label` (0/1) is the
//! outcome, the column named `test` (0/1) marks the held-out rows, and every other column is a
//! feature, used as it is (no standardisation here: the file is already scaled). Only the
//! call to `fit` is timed.

use std::io::{BufRead, BufReader};
use std::time::Instant;

use leadrank_metrics::classify::roc_auc;
use leadrank_metrics::logistic::{FitOptions, fit};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = args.first().ok_or("usage: fit_bench MATRIX.csv [--l2 X] [--hessian-rows N] [--max-iter N] [--tol X]")?;
    let mut opts = FitOptions::default();
    let mut i = 1;
    while i < args.len() {
        let v = args.get(i + 1).ok_or("missing value")?;
        match args[i].as_str() {
            "--l2" => opts.l2 = v.parse()?,
            "--hessian-rows" => opts.hessian_rows = v.parse()?,
            "--max-iter" => opts.max_iter = v.parse()?,
            "--tol" => opts.tol = v.parse()?,
            other => return Err(format!("unknown option {other}").into()),
        }
        i += 2;
    }

    let t_read = Instant::now();
    let mut lines = BufReader::with_capacity(1 << 20, std::fs::File::open(path)?).lines();
    let header: Vec<String> = lines.next().ok_or("empty file")??.split(',').map(str::to_string).collect();
    let label = header.iter().position(|h| h == "label").ok_or("no label column")?;
    let test = header.iter().position(|h| h == "test").ok_or("no test column")?;
    let feats: Vec<usize> = (0..header.len()).filter(|&c| c != label && c != test).collect();
    let cols = feats.len();
    let (mut x_tr, mut y_tr, mut x_te, mut y_te) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut row = vec![0.0f64; header.len()];
    for (n, line) in lines.enumerate() {
        let line = line?;
        let mut k = 0;
        for f in line.split(',') {
            *row.get_mut(k).ok_or_else(|| format!("line {}: too many fields", n + 2))? = f.parse()?;
            k += 1;
        }
        if k != header.len() {
            return Err(format!("line {}: {k} fields, expected {}", n + 2, header.len()).into());
        }
        let (x, y) = if row[test] != 0.0 { (&mut x_te, &mut y_te) } else { (&mut x_tr, &mut y_tr) };
        x.extend(feats.iter().map(|&c| row[c]));
        y.push(row[label] != 0.0);
    }
    let read_s = t_read.elapsed().as_secs_f64();

    let t_fit = Instant::now();
    let f = fit(&x_tr, cols, &y_tr, &opts)?;
    let fit_s = t_fit.elapsed().as_secs_f64();

    let auc_train = roc_auc(&f.logits(&x_tr), &y_tr);
    let auc_test = roc_auc(&f.logits(&x_te), &y_te);
    let out = serde_json::json!({
        "engine": "leadrank",
        "rows_train": y_tr.len(), "rows_test": y_te.len(), "features": cols,
        "threads": rayon::current_num_threads(),
        "l2": opts.l2, "hessian_rows": opts.hessian_rows,
        "read_seconds": read_s, "fit_seconds": fit_s,
        "iterations": f.iterations, "converged": f.converged, "objective": f.objective,
        "auc_train": auc_train, "auc_test": auc_test,
        "intercept": f.intercept, "coef": f.coef,
    });
    println!("{out}");
    Ok(())
}
