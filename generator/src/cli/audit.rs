//! `hemiciclo quiz` and `hemiciclo explain`: a published result, recomputed
//! offline by the very code the browser runs.
//!
//! Both read the quiz bundle of a built site (the files the browser
//! fetches), draw the deck with the core's sampler and score it with the
//! core's rules, so anyone can check a result a citizen or a newspaper
//! published.

use crate::error::{Error, IoContext, Result};
use hemiciclo_core::affinity::{Response, Rule};
use hemiciclo_core::bundle::{shard_path, BUNDLE_DIR, IDS_FILE, MANIFEST_FILE};
use hemiciclo_core::ranking::{Ranking, Verdict};
use hemiciclo_core::reasons::Explanation;
use hemiciclo_core::sampler::legislature_names;
use hemiciclo_core::{Answer, CardIds, Manifest, Quiz, QuizError};
use serde::Serialize;
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// A quiz as the browser would have scored it.
#[derive(Debug, Serialize)]
pub struct Audit {
    pub dataset_id: String,
    pub seed: u64,
    pub rule: Rule,
    pub cards: Vec<AuditCard>,
    /// Actor ids and names, in the manifest's order (scores refer to them by index).
    pub actors: Vec<(String, String)>,
    pub ranking: Ranking,
    /// Why: each card beside every actor, the cards that decided between
    /// the first two, and the answers that would have changed the leader.
    pub explanation: Explanation,
    /// The actor(s) ranked first under each rule, and the rules whose
    /// leader or top three differ from the default's.
    pub leaders_by_rule: Vec<(Rule, Vec<usize>)>,
    pub rules_that_differ: Vec<Rule>,
    /// The share code (the part after `#` in the results link).
    pub link: String,
}

#[derive(Debug, Serialize)]
pub struct AuditCard {
    /// Index of the card in the bundle.
    pub index: u32,
    pub id: String,
    pub title: String,
    pub response: Response,
}

/// The quiz bundle of a built site, read from disk like the browser reads it.
#[derive(Debug)]
struct Bundle {
    dir: PathBuf,
    manifest: Manifest,
}

impl Bundle {
    fn open(site: &Path) -> Result<Bundle> {
        let dir = site.join(BUNDLE_DIR);
        let path = dir.join(MANIFEST_FILE);
        let text = std::fs::read_to_string(&path).doing(|| {
            format!(
                "cannot read {}: is {} a site built by `hemiciclo build`? (--site names it)",
                path.display(),
                site.display()
            )
        })?;
        let manifest = Manifest::from_json(&text).map_err(|source| Error::Bundle {
            context: path.display().to_string(),
            source,
        })?;
        Ok(Bundle { dir, manifest })
    }

    /// Refuses a legislature the site has no cards of, the names read as
    /// the page reads them (`xv` is `XV`); the page just leaves it out.
    fn check_legislatures(&self, typed: &[String]) -> Result<()> {
        let known = self.manifest.legislatures();
        let names = legislature_names(typed, &known);
        if let Some(unknown) = names.iter().find(|l| !known.contains(&l.as_str())) {
            return Err(Error::Audit(format!(
                "the site has no quiz cards of legislature {unknown:?}; it has {}",
                known.join(", ")
            )));
        }
        Ok(())
    }

    /// The bundle's card-id index, for curated decks.
    fn card_ids(&self) -> Result<CardIds> {
        let path = self.dir.join(IDS_FILE);
        let text =
            std::fs::read_to_string(&path).doing(|| format!("cannot read {}", path.display()))?;
        CardIds::from_json(&text).map_err(|source| Error::Bundle {
            context: path.display().to_string(),
            source,
        })
    }

    /// Hands `quiz` every shard it still needs, read from disk.
    fn load(&self, quiz: &mut Quiz) -> Result<()> {
        for shard in quiz.shards_needed() {
            let path = self.dir.join(shard_path(shard));
            let text = std::fs::read_to_string(&path)
                .doing(|| format!("cannot read {}", path.display()))?;
            quiz.add_shard(&text).map_err(|error| match error {
                QuizError::OtherBuild => Error::Audit(format!(
                    "{} belongs to another build of the site than its manifest.json: rebuild \
                     the site, or copy its whole data/ folder",
                    path.display()
                )),
                error => Error::Audit(format!("{}: {error}", path.display())),
            })?;
        }
        Ok(())
    }
}

/// Which cards a deck is drawn from: every quiz card by default.
#[derive(Debug, Clone, Default)]
pub struct DeckChoice {
    /// Only the cards of these legislatures.
    pub legislatures: Vec<String>,
    /// A curated deck: these proposal ids, in this order.
    pub proposals: Vec<String>,
}

/// The deck `seed` draws on the site as `choice` says, answered with
/// `responses`.
pub fn quiz(
    site: &Path,
    seed: u64,
    choice: &DeckChoice,
    responses: &[Response],
    rule: Rule,
) -> Result<Audit> {
    let bundle = Bundle::open(site)?;
    let mut quiz = if choice.proposals.is_empty() {
        bundle.check_legislatures(&choice.legislatures)?;
        Quiz::in_legislatures(bundle.manifest.clone(), seed, &choice.legislatures)?
    } else {
        let ids = bundle.card_ids()?;
        Quiz::curated(bundle.manifest.clone(), seed, &ids, &choice.proposals)?
    };
    if responses.len() != quiz.deck().len() {
        return Err(Error::Audit(format!(
            "the deck of seed {seed} has {} cards, but {} answers were given; give one per card",
            quiz.deck().len(),
            responses.len()
        )));
    }
    for &response in responses {
        quiz.answer(response);
    }
    bundle.load(&mut quiz)?;
    audit(&quiz, rule)
}

/// The quiz a share code (or a whole results link) stands for.
pub fn explain(site: &Path, link: &str, rule: Rule) -> Result<Audit> {
    let bundle = Bundle::open(site)?;
    let mut quiz = Quiz::from_share(bundle.manifest.clone(), link)?;
    bundle.load(&mut quiz)?;
    audit(&quiz, rule)
}

fn audit(quiz: &Quiz, rule: Rule) -> Result<Audit> {
    let results = quiz.results(rule)?;
    let comparison = quiz.compare_rules()?;
    let manifest = quiz.manifest();
    let cards = quiz
        .deck()
        .iter()
        .zip(quiz.responses())
        .map(|(&index, &response)| {
            let card = quiz
                .card(index)
                .ok_or_else(|| Error::Audit(format!("card {index} is not loaded")))?;
            Ok(AuditCard {
                index,
                id: card.id.clone(),
                title: card.title.clone(),
                response,
            })
        })
        .collect::<Result<_>>()?;
    Ok(Audit {
        dataset_id: manifest.dataset_id.clone(),
        seed: quiz.seed(),
        rule,
        cards,
        actors: manifest
            .actors
            .iter()
            .map(|a| (a.id.clone(), a.name.clone()))
            .collect(),
        ranking: results.ranking,
        explanation: results.explanation,
        leaders_by_rule: comparison.leaders(),
        rules_that_differ: comparison.differing(),
        link: results.share,
    })
}

/// Reads answers written as letters (`FANS`: for, against, abstain, skip;
/// `!` after one marks it important) or as comma-separated words
/// (`for,against!,abstain,skip`).
pub fn parse_answers(list: &str) -> Result<Vec<Response>> {
    let tokens: Vec<String> = if list.contains(',') {
        list.split(',').map(|t| t.trim().to_lowercase()).collect()
    } else {
        let mut tokens: Vec<String> = Vec::new();
        for c in list.chars().filter(|c| !c.is_whitespace()) {
            match (c, tokens.last_mut()) {
                ('!', Some(last)) => last.push('!'),
                _ => tokens.push(c.to_lowercase().to_string()),
            }
        }
        tokens
    };
    tokens
        .iter()
        .enumerate()
        .map(|(i, token)| {
            let important = token.ends_with('!');
            let answer = match token.trim_end_matches('!') {
                "f" | "for" => Answer::For,
                "a" | "against" => Answer::Against,
                "n" | "abstain" => Answer::Abstain,
                "s" | "skip" => Answer::Skip,
                other => {
                    return Err(Error::Audit(format!(
                        "answer {} is {other:?}; use F (for), A (against), N (abstain) or S \
                         (skip), with ! after one that matters most to you",
                        i + 1
                    )))
                }
            };
            Ok(Response::new(answer, important))
        })
        .collect()
}

/// The audit as `hemiciclo quiz` prints it.
pub fn render_text(audit: &Audit) -> String {
    let mut text = String::new();
    let _ = writeln!(
        text,
        "dataset {}, seed {}, rule {}",
        audit.dataset_id,
        audit.seed,
        audit.rule.name()
    );
    let _ = writeln!(text, "\ncards:");
    for (n, card) in audit.cards.iter().enumerate() {
        let answer = card.response.answer.name();
        let important = if card.response.important {
            " (important)"
        } else {
            ""
        };
        let _ = writeln!(
            text,
            "  {:>2}. {:<8} {answer}{important}  {}",
            n + 1,
            card.id,
            card.title
        );
    }
    let _ = writeln!(text, "\nscores ({} cards counted):", audit.ranking.counted);
    for score in &audit.ranking.scores {
        let (id, _) = &audit.actors[score.actor];
        match score.score {
            Some(value) => {
                let _ = writeln!(
                    text,
                    "  {:>2}. {id:<32} {:>5.1}%  interval {:.1}-{:.1}%  coverage {}",
                    score.rank,
                    value * 100.0,
                    score.interval.0 * 100.0,
                    score.interval.1 * 100.0,
                    score.covered
                );
            }
            None => {
                let _ = writeln!(
                    text,
                    "      {id:<32}     -   no position on any answered card"
                );
            }
        }
    }
    let _ = writeln!(text, "\nverdict: {}", verdict_text(audit));
    render_reasons(&mut text, audit);
    let _ = writeln!(text, "share code: {}", audit.link);
    text
}

/// The head-to-head, the answers that would change the leader, and the
/// other rules' leaders.
fn render_reasons(text: &mut String, audit: &Audit) {
    let id = |actor: usize| audit.actors[actor].0.as_str();
    let card = |index: usize| audit.cards.get(index).map_or("?", |c| c.id.as_str());
    if let Some(head) = &audit.explanation.head_to_head {
        let deciding: Vec<String> = head
            .cards
            .iter()
            .filter(|d| d.difference != 0.0)
            .map(|d| format!("{} ({:+.1})", card(d.card), d.difference))
            .collect();
        let _ = writeln!(
            text,
            "{} vs {}: decided by {}",
            id(head.leader),
            id(head.runner_up),
            if deciding.is_empty() {
                "no card on which both voted (the gap comes from cards only one of them voted on)"
                    .to_owned()
            } else {
                deciding.join(", ")
            }
        );
    }
    for flip in &audit.explanation.counterfactuals {
        let leaders: Vec<&str> = flip.leaders.iter().map(|&a| id(a)).collect();
        let _ = writeln!(
            text,
            "had you answered {} {}, {} would lead",
            card(flip.card),
            flip.answer.name(),
            leaders.join(" and ")
        );
    }
    let others: Vec<String> = audit
        .leaders_by_rule
        .iter()
        .map(|(rule, leaders)| {
            let names: Vec<&str> = leaders.iter().map(|&a| id(a)).collect();
            format!("{} -> {}", rule.name(), names.join(", "))
        })
        .collect();
    let _ = writeln!(
        text,
        "leader by rule: {}{}",
        others.join("; "),
        if audit.rules_that_differ.is_empty() {
            " (every rule agrees on the leader and the top three)"
        } else {
            ""
        }
    );
}

fn verdict_text(audit: &Audit) -> String {
    let name = |actor: &usize| audit.actors[*actor].0.clone();
    let names = |actors: &[usize]| actors.iter().map(name).collect::<Vec<_>>().join(", ");
    match &audit.ranking.verdict {
        Verdict::NoCoverage => "no party voted on any card answered".into(),
        Verdict::NoneClose { best } => format!("no party is close (the closest is {})", name(best)),
        Verdict::Tie { actors } => format!("a tie between {}", names(actors)),
        Verdict::TooCloseToCall { actors } => format!(
            "too close to call: the intervals of {} overlap the leader's ({})",
            names(&actors[1..]),
            name(&actors[0])
        ),
        Verdict::Leader { actor } => {
            format!("{} leads, clear of every other interval", name(actor))
        }
    }
}
