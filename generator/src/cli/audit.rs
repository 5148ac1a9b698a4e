//! `hemiciclo quiz` and `hemiciclo explain`: a published result, recomputed
//! offline by the very code the browser runs.
//!
//! Both read the quiz bundle of a built site (the files the browser
//! fetches), draw the deck with the core's sampler and score it with the
//! core's rules, so anyone can check a result a citizen or a newspaper
//! published.

use crate::error::{Error, IoContext, Result};
use crate::terminal;
use hemiciclo_core::affinity::{Response, Rule};
use hemiciclo_core::bundle::{
    shard_path, Checksums, BUNDLE_DIR, CHECKSUMS_FILE, IDS_FILE, MANIFEST_FILE, VOTES_FILE,
};
use hemiciclo_core::ranking::{Ranking, Verdict};
use hemiciclo_core::reasons::Explanation;
use hemiciclo_core::sampler::legislature_names;
use hemiciclo_core::{Answer, CardIds, Manifest, Quiz, QuizError};
use serde::Serialize;
use std::collections::BTreeMap;
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
    /// The legislature whose seated parties are compared, if any.
    pub compared_in: Option<String>,
    /// That legislature's seating: who sits, how alike they vote.
    pub seating: Option<hemiciclo_core::seating::Seating>,
    /// Whether the page would offer to continue the deck, and up to how
    /// many cards.
    pub can_continue: bool,
    pub cap: usize,
}

#[derive(Debug, Serialize)]
pub struct AuditCard {
    /// Index of the card in the bundle.
    pub index: u32,
    pub id: String,
    pub title: String,
    pub response: Response,
}

/// The quiz bundle of a built site, read from disk like the browser reads
/// it. Each file is read once and kept: `simulate` plays thousands of
/// quizzes on the same shards.
#[derive(Debug)]
pub(crate) struct Bundle {
    dir: PathBuf,
    manifest: Manifest,
    /// Every other file's checksum: a file is refused unless it is the
    /// one the build wrote.
    checksums: Checksums,
    /// File texts read so far, by path within the bundle folder.
    files: BTreeMap<String, String>,
}

impl Bundle {
    pub(crate) fn open(site: &Path) -> Result<Bundle> {
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
        let path = dir.join(CHECKSUMS_FILE);
        let text =
            std::fs::read_to_string(&path).doing(|| format!("cannot read {}", path.display()))?;
        let checksums = Checksums::from_json(&text, &manifest).map_err(|source| Error::Bundle {
            context: path.display().to_string(),
            source,
        })?;
        Ok(Bundle {
            dir,
            manifest,
            checksums,
            files: BTreeMap::new(),
        })
    }

    /// The text of the bundle file `name` (a path within the bundle
    /// folder), read from disk the first time.
    fn text(&mut self, name: &str) -> Result<&str> {
        if !self.files.contains_key(name) {
            let path = self.dir.join(name);
            let text = std::fs::read_to_string(&path)
                .doing(|| format!("cannot read {}", path.display()))?;
            self.checksums
                .check(name, &text)
                .map_err(|source| Error::Bundle {
                    context: path.display().to_string(),
                    source,
                })?;
            self.files.insert(name.to_owned(), text);
        }
        Ok(&self.files[name])
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
    fn card_ids(&mut self) -> Result<CardIds> {
        let path = self.dir.join(IDS_FILE);
        let text = self.text(IDS_FILE)?;
        CardIds::from_json(text).map_err(|source| Error::Bundle {
            context: path.display().to_string(),
            source,
        })
    }

    pub(crate) fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// Hands `quiz` the table of every card's votes, which continuing a
    /// deck needs.
    pub(crate) fn load_votes(&mut self, quiz: &mut Quiz) -> Result<()> {
        if quiz.has_votes() {
            return Ok(());
        }
        let path = self.dir.join(VOTES_FILE);
        quiz.add_votes(self.text(VOTES_FILE)?)
            .map_err(|error| Error::Audit(format!("{}: {error}", path.display())))
    }

    /// Hands `quiz` every shard it still needs, read from disk.
    pub(crate) fn load(&mut self, quiz: &mut Quiz) -> Result<()> {
        for shard in quiz.shards_needed() {
            let name = shard_path(shard);
            let path = self.dir.join(&name);
            quiz.add_shard(self.text(&name)?)
                .map_err(|error| match error {
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
    let mut bundle = Bundle::open(site)?;
    let mut quiz = if choice.proposals.is_empty() {
        bundle.check_legislatures(&choice.legislatures)?;
        Quiz::in_legislatures(bundle.manifest.clone(), seed, &choice.legislatures)?
    } else {
        let ids = bundle.card_ids()?;
        Quiz::curated(bundle.manifest.clone(), seed, &ids, &choice.proposals)?
    };
    if responses.len() < quiz.deck().len() {
        return Err(Error::Audit(format!(
            "the deck of seed {seed} has {} cards, but {} answers were given; give one per card",
            quiz.deck().len(),
            responses.len()
        )));
    }
    // Answers past the deck continue it, one card at a time, as the page
    // does: only while the verdict is not clear, up to the cap.
    for &response in responses {
        if quiz.is_finished() {
            bundle.load(&mut quiz)?;
            if !quiz.can_continue()? {
                return Err(Error::Audit(format!(
                    "{} answers were given, but the deck stops at {} cards: {}; give {} answers",
                    responses.len(),
                    quiz.deck().len(),
                    if quiz.deck().len() >= quiz.cap() {
                        "that is the most a deck asks"
                    } else {
                        "by then the verdict is clear"
                    },
                    quiz.deck().len()
                )));
            }
            bundle.load_votes(&mut quiz)?;
            quiz.continue_deck()?;
        }
        quiz.answer(response);
    }
    bundle.load(&mut quiz)?;
    let can_continue = quiz.can_continue()?;
    audit(&quiz, rule, can_continue)
}

/// The quiz a share code (or a whole results link) stands for. A link
/// opened shows its results only: the page never continues it.
pub fn explain(site: &Path, link: &str, rule: Rule) -> Result<Audit> {
    let mut bundle = Bundle::open(site)?;
    let mut quiz = Quiz::from_share(bundle.manifest.clone(), link)?;
    bundle.load(&mut quiz)?;
    audit(&quiz, rule, false)
}

fn audit(quiz: &Quiz, rule: Rule, can_continue: bool) -> Result<Audit> {
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
        compared_in: quiz.field().legislature,
        seating: quiz.field().legislature.and_then(|name| {
            manifest
                .seating
                .iter()
                .find(|s| s.legislature == name)
                .cloned()
        }),
        can_continue,
        cap: quiz.cap(),
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
        // A title or id may hold a line break: kept on its card's line.
        let _ = writeln!(
            text,
            "  {:>2}. {:<8} {answer}{important}  {}",
            n + 1,
            terminal::line(&card.id),
            terminal::line(&card.title)
        );
    }
    let compared = match &audit.compared_in {
        Some(legislature) => format!(", the parties seated in legislature {legislature}"),
        None => String::new(),
    };
    let _ = writeln!(
        text,
        "\nscores ({} cards counted{compared}):",
        audit.ranking.counted
    );
    render_scores(&mut text, audit, &audit.ranking.scores);
    if audit.ranking.apart.iter().any(|s| s.score.is_some()) {
        let _ = writeln!(text, "\nnot seated there, shown apart:");
        render_scores(&mut text, audit, &audit.ranking.apart);
    }
    let _ = writeln!(text, "\nverdict: {}", verdict_text(audit));
    render_pairs(&mut text, audit);
    if audit.can_continue {
        let _ = writeln!(
            text,
            "the page offers to continue, up to {} cards (answer more to continue here)",
            audit.cap
        );
    }
    render_reasons(&mut text, audit);
    let _ = writeln!(text, "share code: {}", audit.link);
    text
}

/// One line per actor of `scores`.
fn render_scores(text: &mut String, audit: &Audit, scores: &[hemiciclo_core::ActorScore]) {
    for score in scores {
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
}

/// The leader against each rival on the cards where they differ.
fn render_pairs(text: &mut String, audit: &Audit) {
    let id = |actor: usize| audit.actors[actor].0.as_str();
    for pair in &audit.ranking.pairs {
        let _ = writeln!(
            text,
            "  {} vs {}: {} better on {}, {} on {}, even on {} (chance {:.3}){}",
            id(pair.leader),
            id(pair.rival),
            id(pair.leader),
            pair.leader_better,
            id(pair.rival),
            pair.rival_better,
            pair.even,
            pair.p_value,
            if pair.is_clear() { ", clear" } else { "" }
        );
    }
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
                "no card: they earned the same on every card both voted on".to_owned()
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

/// "PSD and CDS-PP voted the same way on 92.7% of the votes of XVII".
fn alike_text(audit: &Audit, actors: &[usize]) -> String {
    let Some(legislature) = &audit.compared_in else {
        return String::new();
    };
    let Some(manifest_seating) = audit.seating.as_ref() else {
        return String::new();
    };
    let leader = actors[0];
    actors[1..]
        .iter()
        .filter_map(|&other| {
            let share = manifest_seating.same_share(leader, other)?;
            Some(format!(
                "{} and {} voted the same way on {:.1}% of the votes of legislature {legislature}",
                audit.actors[leader].0,
                audit.actors[other].0,
                f64::from(share) / 100.0
            ))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn verdict_text(audit: &Audit) -> String {
    let name = |actor: &usize| audit.actors[*actor].0.clone();
    let names = |actors: &[usize]| actors.iter().map(name).collect::<Vec<_>>().join(", ");
    match &audit.ranking.verdict {
        Verdict::NoCoverage => "no party voted on any card answered".into(),
        Verdict::NoneClose { best } => format!("no party is close (the closest is {})", name(best)),
        Verdict::TooCloseToCall { actors } => format!(
            "too close to call: {} leads, but the cards where they differ do not yet separate it \
             from {}",
            name(&actors[0]),
            names(&actors[1..])
        ),
        Verdict::Alike { actors } => format!(
            "{} are closest, clear of every other party; they vote alike ({})",
            names(actors),
            alike_text(audit, actors)
        ),
        Verdict::Leader { actor } => format!(
            "{} leads, clear of every other party on the cards where they differ",
            name(actor)
        ),
    }
}
