//! How many cards a citizen needs before their party comes out first:
//! uniform, stratified and adaptive decks, on a synthetic parliament.
//!
//! ```text
//! cargo run --release -p hemiciclo-research --example simulate
//! cargo run --release -p hemiciclo-research --example simulate -- --runs 400 --seed 7
//! ```
//!
//! Prints markdown tables on stdout (the same bytes for the same options)
//! and the time taken on stderr. The model is documented in
//! `hemiciclo_research`.

use hemiciclo_core::adaptive::DEFAULT_STABLE_FOR;
use hemiciclo_core::sampler::{candidates, Filters, Stratum, DEFAULT_GOVERNMENT_SHARE};
use hemiciclo_research::citizens::{summarize, Mode, Summary, DEFAULT_FIDELITY};
use hemiciclo_research::parliament::{
    agreement_rate, missing_rate, synthetic_parliament, LEGISLATURES,
};
use std::process::ExitCode;
use std::time::Instant;

/// Share of runs in which the party must rank first.
const TARGET: f64 = 0.9;

#[derive(Debug)]
struct Options {
    runs: u32,
    seed: u64,
    max_cards: usize,
    fidelity: f64,
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut options = Options {
        runs: 200,
        seed: 1,
        max_cards: 40,
        fidelity: DEFAULT_FIDELITY,
    };
    let mut args = args.iter();
    while let Some(flag) = args.next() {
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let bad = || format!("bad value {value:?} for {flag}");
        match flag.as_str() {
            "--runs" => options.runs = value.parse().map_err(|_| bad())?,
            "--seed" => options.seed = value.parse().map_err(|_| bad())?,
            "--max" => options.max_cards = value.parse().map_err(|_| bad())?,
            "--fidelity" => options.fidelity = value.parse().map_err(|_| bad())?,
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    if options.runs == 0 || options.max_cards == 0 {
        return Err("--runs and --max must be at least 1".into());
    }
    Ok(options)
}

fn needed(summary: &Summary, max_cards: usize) -> String {
    match summary.cards_needed(TARGET) {
        Some(n) => n.to_string(),
        None => format!(">{max_cards}"),
    }
}

fn percent(x: f64) -> String {
    format!("{:.0}%", 100.0 * x)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let options = match parse(&args) {
        Ok(options) => options,
        Err(message) => {
            eprintln!(
                "simulate: {message}\nusage: simulate [--runs N] [--seed S] [--max CARDS] [--fidelity P]"
            );
            return ExitCode::from(2);
        }
    };
    let started = Instant::now();
    let parliament = synthetic_parliament(options.seed);
    let eligible = candidates(&parliament.metas, &Filters::default());
    let government = eligible
        .iter()
        .filter(|m| m.stratum() == Stratum::Government)
        .count();
    let max = options.max_cards;

    println!("## Cards needed before the citizen's party ranks first in 90% of runs\n");
    println!(
        "Synthetic parliament (seed {}): {} proposals over {} legislatures, {} eligible \
         (not unanimous), {} of them ({}) from the government. {} simulated citizens per \
         party and deck kind, answering like their party with probability {} (else one of \
         the two other answers) and skipping cards on which it has no position. \"Ranks \
         first\": alone at the top of the default-rule ranking. Up to {} cards; \">{}\" \
         when 90% is not reached.\n",
        options.seed,
        parliament.cards.len(),
        LEGISLATURES.len(),
        eligible.len(),
        government,
        percent(government as f64 / eligible.len().max(1) as f64),
        options.runs,
        options.fidelity,
        max,
        max,
    );
    println!(
        "Uniform: `draw_deck`, every card as likely. Stratified: `draw_stratified` (the site's \
         decks), {}% government, weighted towards informative votes. Adaptive: `Adaptive::next_card`, top-3 contenders.\n",
        DEFAULT_GOVERNMENT_SHARE * 100.0
    );
    println!(
        "| Party | Shape | No position | Closest party (agreement) | Uniform | Stratified | Adaptive | First after 10 cards (uniform / stratified / adaptive) |"
    );
    println!("|---|---|---:|---|---:|---:|---:|---|");
    let mut adaptive_summaries = Vec::new();
    for (party, shape) in parliament.parties.iter().enumerate() {
        let closest = (0..parliament.parties.len())
            .filter(|&other| other != party)
            .filter_map(|other| agreement_rate(&parliament, party, other).map(|r| (other, r)))
            .max_by(|a, b| a.1.total_cmp(&b.1));
        let closest = match closest {
            Some((other, rate)) => format!("{} ({})", parliament.parties[other].id, percent(rate)),
            None => "-".into(),
        };
        let summaries: Vec<Summary> = Mode::ALL
            .iter()
            .map(|&mode| {
                summarize(
                    &parliament,
                    mode,
                    party,
                    options.fidelity,
                    max,
                    options.runs,
                    options.seed,
                )
            })
            .collect();
        let at_ten: Vec<String> = summaries
            .iter()
            .map(|s| percent(s.leading_after(10.min(max))))
            .collect();
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            shape.id,
            shape.shape,
            percent(missing_rate(&parliament, party)),
            closest,
            needed(&summaries[0], max),
            needed(&summaries[1], max),
            needed(&summaries[2], max),
            at_ten.join(" / "),
        );
        adaptive_summaries.push(summaries[2].clone());
    }

    println!(
        "\n## Early stop in adaptive mode\n\nStop once the same party has been alone in first \
         place for {DEFAULT_STABLE_FOR} answers and it is clear of every other party on the cards where they differ \
         (`adaptive::is_settled`), within {max} cards.\n"
    );
    println!("| Party | Runs stopped | Median cards at stop | Stopped on the right party |");
    println!("|---|---:|---:|---:|");
    for (shape, summary) in parliament.parties.iter().zip(&adaptive_summaries) {
        let stopped = summary.settled.len();
        let median = summary
            .median_settled()
            .map_or_else(|| "-".into(), |n| n.to_string());
        let right = if stopped == 0 {
            "-".into()
        } else {
            percent(summary.settled_right() as f64 / stopped as f64)
        };
        println!(
            "| {} | {} | {} | {} |",
            shape.id,
            percent(stopped as f64 / f64::from(options.runs)),
            median,
            right
        );
    }
    eprintln!("simulate: {:.1} s", started.elapsed().as_secs_f64());
    ExitCode::SUCCESS
}
