//! What each template sees: borrowed, display-ready views of the model.

use super::{legislature_dir, proposal_dir};
use hemiciclo_core::{Actor, Outcome, Position, Proposal, Tally, Venue};
use serde::Serialize;

/// Site-wide values every page shows.
#[derive(Debug, Serialize)]
pub struct SiteView {
    pub title: String,
    pub description: String,
    pub legislatures: Vec<LegislatureLink>,
}

#[derive(Debug, Serialize)]
pub struct LegislatureLink {
    pub name: String,
    pub path: String,
}

impl LegislatureLink {
    pub fn new(name: &str) -> LegislatureLink {
        LegislatureLink {
            name: name.to_owned(),
            path: legislature_dir(name),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct HomePage<'a> {
    pub site: &'a SiteView,
    pub root: &'a str,
    pub card_count: u32,
}

#[derive(Debug, Serialize)]
pub struct LegislaturePage<'a> {
    site: &'a SiteView,
    root: &'static str,
    name: &'a str,
    proposals: Vec<ListedProposal<'a>>,
}

#[derive(Debug, Serialize)]
struct ListedProposal<'a> {
    title: &'a str,
    kind: &'a str,
    date: String,
    path: String,
}

impl<'a> LegislaturePage<'a> {
    pub fn new(site: &'a SiteView, name: &'a str, proposals: &[&'a Proposal]) -> Self {
        LegislaturePage {
            site,
            root: "../../",
            name,
            proposals: proposals
                .iter()
                .map(|p| ListedProposal {
                    title: &p.title,
                    kind: &p.kind,
                    date: p.date().map(|d| d.to_string()).unwrap_or_default(),
                    path: proposal_dir(&p.id),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct ProposalPage<'a> {
    site: &'a SiteView,
    root: &'static str,
    p: ProposalView<'a>,
}

#[derive(Debug, Serialize)]
struct ProposalView<'a> {
    id: &'a str,
    title: &'a str,
    kind: &'a str,
    number: &'a str,
    legislature: &'a str,
    legislature_path: String,
    date: Option<String>,
    authors: &'a [String],
    committee: Option<&'a str>,
    link: Option<&'a str>,
    result: Option<&'static str>,
    result_class: &'static str,
    decisive_phase: Option<&'a str>,
    actors: Vec<&'a Actor>,
    votes: Vec<VoteView<'a>>,
}

#[derive(Debug, Serialize)]
struct VoteView<'a> {
    date: String,
    phase: &'a str,
    description: &'a str,
    result: &'static str,
    unanimous: bool,
    decisive: bool,
    /// The committee's name for a committee vote; none in plenary.
    committee: Option<&'a str>,
    cells: Vec<Cell>,
    /// Members named one by one, as "Name (PS): Contra".
    members: Vec<String>,
}

#[derive(Debug, Serialize)]
struct Cell {
    label: &'static str,
    class: &'static str,
    /// Member counts of a split group, e.g. "2 a favor, 54 contra".
    detail: String,
}

impl<'a> ProposalPage<'a> {
    pub fn new(site: &'a SiteView, all_actors: &'a [Actor], proposal: &'a Proposal) -> Self {
        // Columns only for actors who voted on this initiative at all.
        let actors: Vec<&Actor> = all_actors
            .iter()
            .filter(|a| {
                proposal
                    .votes
                    .iter()
                    .any(|v| v.positions.contains_key(&a.id))
            })
            .collect();
        let decisive = proposal.decisive_vote();
        let votes = proposal
            .votes
            .iter()
            .map(|vote| VoteView {
                date: vote.date.to_string(),
                phase: &vote.phase,
                description: &vote.description,
                result: vote.result.map_or("", |r| outcome_label(r).0),
                unanimous: vote.unanimous,
                decisive: decisive.is_some_and(|d| std::ptr::eq(d, vote)),
                committee: match &vote.venue {
                    Venue::Plenary => None,
                    Venue::Committee(name) => Some(name.as_deref().unwrap_or("Comissão")),
                },
                cells: actors
                    .iter()
                    .map(|a| {
                        let mut cell = position_cell(vote.positions.get(&a.id).copied());
                        cell.detail = vote.counts.get(&a.id).map(tally_text).unwrap_or_default();
                        cell
                    })
                    .collect(),
                members: vote
                    .members
                    .iter()
                    .map(|m| {
                        format!(
                            "{} ({}): {}",
                            m.name,
                            m.actor,
                            position_cell(Some(m.position)).label
                        )
                    })
                    .collect(),
            })
            .collect();
        let result = decisive.and_then(|v| v.result).map(outcome_label);
        ProposalPage {
            site,
            root: "../../",
            p: ProposalView {
                id: &proposal.id,
                title: &proposal.title,
                kind: &proposal.kind,
                number: &proposal.number,
                legislature: &proposal.legislature,
                legislature_path: legislature_dir(&proposal.legislature),
                date: proposal.date().map(|d| d.to_string()),
                authors: &proposal.authors,
                committee: proposal.committee.as_deref(),
                link: proposal.link.as_deref(),
                result: result.map(|r| r.0),
                result_class: result.map_or("", |r| r.1),
                decisive_phase: decisive.map(|v| v.phase.as_str()),
                actors,
                votes,
            },
        }
    }
}

/// (label, CSS class) of an outcome.
fn outcome_label(outcome: Outcome) -> (&'static str, &'static str) {
    match outcome {
        Outcome::Approved => ("Aprovado", "approved"),
        Outcome::Rejected => ("Rejeitado", "rejected"),
    }
}

fn position_cell(position: Option<Position>) -> Cell {
    let (label, class) = match position {
        Some(Position::For) => ("A favor", "for"),
        Some(Position::Against) => ("Contra", "against"),
        Some(Position::Abstain) => ("Abstenção", "abstain"),
        Some(Position::Absent) => ("Ausente", "absent"),
        None => ("—", "none"),
    };
    Cell {
        label,
        class,
        detail: String::new(),
    }
}

/// "2 a favor, 54 contra": the member counts of a group, largest first.
fn tally_text(tally: &Tally) -> String {
    let mut parts = vec![
        (tally.in_favour, "a favor"),
        (tally.against, "contra"),
        (tally.abstain, "abstenção"),
        (tally.absent, "ausentes"),
    ];
    parts.retain(|(n, _)| *n > 0);
    parts.sort_by_key(|part| std::cmp::Reverse(part.0));
    parts
        .iter()
        .map(|(n, what)| format!("{n} {what}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// At most this many quarantined records or conflicts are listed on the page.
const STATUS_LIST_LIMIT: usize = 500;

#[derive(Debug, Serialize)]
pub struct StatusPage<'a> {
    site: &'a SiteView,
    root: &'static str,
    report: &'a crate::ingest::IngestReport,
    quarantine: &'a [crate::sources::Quarantined],
    conflicts: &'a [crate::merge::Conflict],
    list_limit: usize,
}

impl<'a> StatusPage<'a> {
    pub fn new(site: &'a SiteView, report: &'a crate::ingest::IngestReport) -> Self {
        let limit = |n: usize| n.min(STATUS_LIST_LIMIT);
        StatusPage {
            site,
            root: "../",
            report,
            quarantine: &report.quarantine[..limit(report.quarantine.len())],
            conflicts: &report.conflicts[..limit(report.conflicts.len())],
            list_limit: STATUS_LIST_LIMIT,
        }
    }
}
