//! What each template sees: borrowed, display-ready views of the model.

use super::{legislature_dir, proposal_dir};
use hemiciclo_core::{Actor, Outcome, Position, Proposal, ProposerKind, Tally, Venue, Vote};
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
    /// What the default deck draws from: the latest legislature's quiz
    /// cards every seated party voted on.
    pub quiz: QuizScope,
}

/// The default deck's scope, for the home page's method text.
#[derive(Debug, Clone, Default, Serialize)]
pub struct QuizScope {
    /// The latest legislature, if the data has seatings.
    pub legislature: Option<String>,
    /// Quiz cards of it that every seated party voted on.
    pub cards: u32,
    /// The most cards a deck reaches by continuing.
    pub cap: usize,
    /// "Seated": the share of the legislature's cards an actor voted on, in percent.
    pub seated_from: u32,
    /// "Vote alike": the share of same votes, in percent.
    pub alike_from: u32,
    /// The verdict's test: a split that chance gives at most 1 time in this many.
    pub chance_one_in: u32,
}

impl QuizScope {
    pub fn of(manifest: &hemiciclo_core::Manifest) -> QuizScope {
        let rules = QuizScope {
            cap: hemiciclo_core::quiz::CONTINUE_UP_TO,
            seated_from: (hemiciclo_core::seating::SEATED_FROM * 100.0).round() as u32,
            alike_from: u32::from(hemiciclo_core::seating::ALIKE_FROM) / 100,
            chance_one_in: (1.0 / hemiciclo_core::paired::ALPHA).round() as u32,
            ..QuizScope::default()
        };
        let Some(seating) = manifest.seating.last() else {
            return rules;
        };
        let cards = manifest
            .card_metas()
            .map(|metas| {
                metas
                    .iter()
                    .filter(|m| m.complete && m.legislature == seating.legislature)
                    .count()
            })
            .unwrap_or(0);
        QuizScope {
            legislature: Some(seating.legislature.clone()),
            cards: u32::try_from(cards).unwrap_or(u32::MAX),
            ..rules
        }
    }
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
    /// Who proposed it relative to the government of the day ("oposição").
    proposer: Option<&'static str>,
    committee: Option<&'a str>,
    topics: &'a [String],
    /// The official link, only when it is a web address.
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
    /// For the decisive vote: what it is used for ("Votação usada no questionário", ...).
    decisive_note: &'static str,
    /// For the decisive vote, how much it split the parties ("87%").
    split: Option<String>,
    /// The whole vote's totals, when the source gives them
    /// ("A favor 320 · Contra 200 · Abstenção 40").
    totals: Option<String>,
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
                decisive_note: if proposal.is_quiz_eligible() {
                    "Votação usada no questionário"
                } else {
                    "Votação decisiva (fora do questionário: sem divisão entre partidos ou só sobre parte do texto)"
                },
                split: decisive.filter(|d| std::ptr::eq(*d, vote)).map(split_text),
                totals: vote.totals.as_ref().map(totals_text),
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
                proposer: proposal.proposer.map(proposer_label),
                committee: proposal.committee.as_deref(),
                topics: &proposal.topics,
                link: proposal.link.as_deref().and_then(web_link),
                result: result.map(|r| r.0),
                result_class: result.map_or("", |r| r.1),
                decisive_phase: decisive.map(|v| v.phase.as_str()),
                actors,
                votes,
            },
        }
    }
}

/// The link if it is a web address (`http://` or `https://`, in any case),
/// trimmed; a link from the data with any other scheme (`javascript:`,
/// `data:`, ...) or none is not rendered.
fn web_link(link: &str) -> Option<&str> {
    let link = link.trim();
    let has_prefix = |prefix: &str| {
        link.get(..prefix.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(prefix))
    };
    (has_prefix("http://") || has_prefix("https://")).then_some(link)
}

/// Who proposed an initiative, as the page says it.
fn proposer_label(kind: ProposerKind) -> &'static str {
    match kind {
        ProposerKind::Government => "Governo",
        ProposerKind::GovernmentParty => "partido do Governo",
        ProposerKind::Opposition => "oposição",
        ProposerKind::Other => "outro",
    }
}

/// How much a vote split the parties, as a whole percentage ("87%").
fn split_text(vote: &Vote) -> String {
    format!("{:.0}%", vote.informativeness() * 100.0)
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
        Some(Position::Split) => ("Dividido", "split"),
        None => ("—", "none"),
    };
    Cell {
        label,
        class,
        detail: String::new(),
    }
}

/// "A favor 320 · Contra 200 · Abstenção 40": a whole vote's totals, with
/// the positions' own labels; absences only when counted.
fn totals_text(totals: &Tally) -> String {
    let mut parts = vec![
        (Position::For, totals.in_favour),
        (Position::Against, totals.against),
        (Position::Abstain, totals.abstain),
    ];
    if totals.absent > 0 {
        parts.push((Position::Absent, totals.absent));
    }
    parts
        .iter()
        .map(|&(position, n)| format!("{} {n}", position_cell(Some(position)).label))
        .collect::<Vec<_>>()
        .join(" · ")
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
    quarantine: &'a [crate::ingest::sources::Quarantined],
    conflicts: &'a [crate::ingest::merge::Conflict],
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

#[cfg(test)]
mod tests {
    use super::*;
    use hemiciclo_core::{Date, PhaseKind};

    #[test]
    fn only_web_links_are_rendered() {
        assert_eq!(
            web_link("https://www.parlamento.pt/x"),
            Some("https://www.parlamento.pt/x")
        );
        assert_eq!(web_link(" HTTP://example.org "), Some("HTTP://example.org"));
        assert_eq!(web_link("HttpS://example.org"), Some("HttpS://example.org"));
        for bad in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "//example.org",
            "www.parlamento.pt",
            "http:/example.org",
            "https",
            "",
        ] {
            assert_eq!(web_link(bad), None, "{bad}");
        }
    }

    #[test]
    fn proposal_page_names_the_proposer_topics_and_split() {
        let site = SiteView {
            title: "t".into(),
            description: "d".into(),
            legislatures: vec![],
        };
        let vote = Vote {
            result: Some(Outcome::Approved),
            positions: [
                ("A".to_owned(), Position::For),
                ("B".to_owned(), Position::Against),
                ("C".to_owned(), Position::Abstain),
            ]
            .into(),
            ..Vote::new(
                "1",
                "Votação na generalidade",
                PhaseKind::General,
                Date::parse_iso("2023-01-02").unwrap(),
            )
        };
        let mut earlier = vote.clone();
        earlier.id = "0".into();
        earlier.phase = "Votação na especialidade".into();
        earlier.phase_kind = PhaseKind::Other;
        let proposal = Proposal {
            id: "100".into(),
            legislature: "XV".into(),
            number: "1".into(),
            kind: "Projeto de Lei".into(),
            title: "t".into(),
            authors: vec!["B".into()],
            committee: None,
            link: Some("javascript:alert(1)".into()),
            topics: vec!["Saúde".into()],
            proposer: Some(ProposerKind::Opposition),
            votes: vec![earlier, vote],
        };
        let page = ProposalPage::new(&site, &[], &proposal);
        assert_eq!(page.p.link, None);
        assert_eq!(page.p.proposer, Some("oposição"));
        assert_eq!(page.p.topics, ["Saúde"]);
        let splits: Vec<_> = page.p.votes.iter().map(|v| v.split.as_deref()).collect();
        assert_eq!(splits, [None, Some("100%")], "only the decisive vote");
        assert_eq!(proposer_label(ProposerKind::Government), "Governo");
        assert_eq!(
            proposer_label(ProposerKind::GovernmentParty),
            "partido do Governo"
        );
        assert_eq!(proposer_label(ProposerKind::Other), "outro");
    }

    #[test]
    fn a_vote_with_totals_shows_them_on_one_line() {
        let site = SiteView {
            title: "t".into(),
            description: "d".into(),
            legislatures: vec![],
        };
        let date = Date::parse_iso("2023-01-02").unwrap();
        let counted = Vote {
            totals: Some(Tally {
                in_favour: 320,
                against: 200,
                abstain: 0,
                absent: 0,
            }),
            ..Vote::new("2", "final", PhaseKind::FinalGlobal, date)
        };
        let proposal = Proposal {
            votes: vec![Vote::new("1", "amendment", PhaseKind::Other, date), counted],
            ..Proposal::new("100", "9", "Report", "t")
        };
        let page = ProposalPage::new(&site, &[], &proposal);
        let totals: Vec<_> = page.p.votes.iter().map(|v| v.totals.as_deref()).collect();
        assert_eq!(
            totals,
            [None, Some("A favor 320 · Contra 200 · Abstenção 0")],
            "a zero is shown, absences only when counted"
        );
        let with_absent = Tally {
            absent: 12,
            ..Tally::default()
        };
        assert_eq!(
            totals_text(&with_absent),
            "A favor 0 · Contra 0 · Abstenção 0 · Ausente 12"
        );
    }
}
