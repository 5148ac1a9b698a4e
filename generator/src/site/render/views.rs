//! What each template sees: borrowed, display-ready views of the model,
//! with every word the page shows taken from the site's [`Language`].

use crate::i18n::Language;
use hemiciclo_core::{Actor, Date, Outcome, Position, Proposal, ProposerKind, Tally, Venue, Vote};
use serde::Serialize;
use std::collections::BTreeMap;

/// Site-wide values every page of one language shows.
#[derive(Debug, Serialize)]
pub struct SiteView {
    pub title: String,
    pub description: String,
    pub legislatures: Vec<LegislatureLink>,
    /// The page's language tag, for `<html lang>`.
    pub lang: String,
    /// The data's language code when it is not the page's: the elements
    /// that hold text from the data are marked with it.
    pub data_lang: Option<String>,
    /// ` lang="pt"` for those elements, or nothing.
    pub data_attr: String,
    /// Every word of the interface, which templates see as `t.<section>.<key>`.
    #[serde(skip)]
    pub t: serde_json::Value,
    /// Which of those words each template names.
    #[serde(skip)]
    pub words: std::sync::Arc<super::words::TemplateWords>,
    /// Each template's words, picked once.
    #[serde(skip)]
    pub word_cache: super::words::WordCache,
    /// The file names of the data's proposals, parties, topics, ...: every
    /// link to one of their pages is made with them.
    #[serde(skip)]
    pub names: std::sync::Arc<super::SiteNames>,
    /// "Dados: Assembleia da República (dados abertos).", or nothing.
    pub footer_credit: Option<String>,
    /// Every language the site is built in, for the switch; empty with one.
    pub languages: Vec<LanguageLink>,
    #[serde(skip)]
    pub language: Language,
    /// The data's phase and kind names, as this language shows them.
    #[serde(skip)]
    pub labels: Labels,
    /// The site's published address (`base-url`), if given.
    pub base_url: Option<String>,
    /// This language's root at that address (`https://…/en/`).
    pub canonical_root: Option<String>,
    /// Whether the site has its search page (`search` in site.toml).
    pub search: bool,
    /// How many parts its index is in (`pagefind/`, `pagefind/1/`, ...).
    pub search_parts: usize,
    /// `news-archive`: a news archive's address with `{date}` in it.
    #[serde(skip)]
    pub news_archive: Option<String>,
    /// The editors' pages and, when there are decks, their index: (title,
    /// path from the language's root, whether the title is the editors'
    /// words, in the data's language), for the footer.
    pub content_links: Vec<(String, String, bool)>,
}

/// Words shown instead of the data's own names of phases and kinds.
#[derive(Debug, Clone, Default)]
pub struct Labels {
    pub phases: BTreeMap<String, String>,
    pub kinds: BTreeMap<String, String>,
}

impl Labels {
    /// The phase as the page names it, and whether that is still the
    /// data's own word (so in the data's language).
    pub(crate) fn phase<'a>(&'a self, phase: &'a str) -> (&'a str, bool) {
        relabel(&self.phases, phase)
    }

    /// The kind of initiative as the page names it, and whether that is
    /// still the data's own word.
    pub(crate) fn kind<'a>(&'a self, kind: &'a str) -> (&'a str, bool) {
        relabel(&self.kinds, kind)
    }
}

fn relabel<'a>(labels: &'a BTreeMap<String, String>, word: &'a str) -> (&'a str, bool) {
    match labels.get(word) {
        Some(label) => (label, false),
        None => (word, true),
    }
}

/// One language of the site, for the language switch.
#[derive(Debug, Clone, Serialize)]
pub struct LanguageLink {
    pub code: String,
    pub name: String,
    pub locale: String,
    /// Its folder from the site's root: `""` for the first, `"en/"`, ...
    pub prefix: String,
}

#[derive(Debug, Serialize)]
pub struct LegislatureLink {
    pub name: String,
    /// "Legislatura XV".
    pub label: String,
    pub path: String,
}

impl LegislatureLink {
    pub fn new(name: &str, language: &Language, names: &super::SiteNames) -> LegislatureLink {
        LegislatureLink {
            name: name.to_owned(),
            label: language.fill("site.legislature", &[("name", name)]),
            path: names.legislature_dir(name),
        }
    }
}

/// Where a page is: the way up to its language's root and to the site's
/// root (where the styles, scripts and data are), and its own path from
/// its language's root (for the language switch).
#[derive(Debug, Clone, Serialize)]
pub struct Frame {
    pub root: String,
    pub assets: String,
    pub path: String,
}

impl Frame {
    /// The frame of the page at `path` (`""`, `"p/1/"`) in the language
    /// tree at `prefix` (`""`, `"en/"`).
    pub fn new(prefix: &str, path: &str) -> Frame {
        let up = |p: &str| "../".repeat(p.matches('/').count());
        let root = up(path);
        Frame {
            assets: format!("{root}{}", up(prefix)),
            root,
            path: path.to_owned(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct HomePage<'a> {
    pub site: &'a SiteView,
    #[serde(flatten)]
    pub frame: Frame,
    pub card_count: u32,
    /// What the default deck draws from: the latest legislature's quiz
    /// cards every seated party voted on.
    pub quiz: QuizScope,
    /// The words the page's JavaScript uses, as JSON.
    pub page_strings: String,
    /// The intro's first sentence: what the deck is drawn from.
    pub deck_text: String,
    /// The bundle's `manifest.json`, `<` escaped, for a `<script>` data block.
    pub manifest_json: String,
    /// The words of the results, as JSON (`results.html`).
    pub results_strings: String,
    /// Whether this is the compact page for an iframe (`embed/`).
    pub embed: bool,
    /// The data's proposals and quiz cards, as the language writes numbers
    /// (the method page says them).
    pub counts: (String, String),
    /// On a share landing (`v/<party>/`): what its link preview says.
    pub landing: Option<Landing>,
    /// For the results' share link: each actor's landing, from the tree's
    /// root (`{"PS": "v/PS/"}`), as JSON; `{}` when the site has none.
    pub landings: String,
}

/// The quiz page a clear verdict's share link leads to: the home's quiz,
/// with a link preview naming the party.
#[derive(Debug, Clone, Serialize)]
pub struct Landing {
    /// "O partido que votou mais como eu: Partido Socialista".
    pub title: String,
    /// The party's preview image, from the site's root (`og/PS.png`).
    pub image: String,
}

/// The default deck's scope, for the home page's method text.
#[derive(Debug, Clone, Default, Serialize)]
pub struct QuizScope {
    /// The latest legislature, if the data has seatings.
    pub legislature: Option<String>,
    /// Quiz cards of it that every seated party voted on.
    pub cards: u32,
    /// How many proposals a deck asks.
    pub size: u32,
    /// Whether decks have a government share (the site names governments).
    pub government: bool,
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
            size: manifest.deck_size,
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

    /// The intro's sentence on what a deck is drawn from.
    pub fn deck_text(&self, language: &Language, card_count: u32) -> String {
        let size = self.size.to_string();
        let mut text = match &self.legislature {
            Some(legislature) => language.fill(
                "home.deck_latest",
                &[
                    ("size", &size),
                    ("legislature", legislature),
                    ("cards", &language.number(self.cards)),
                ],
            ),
            None => language.fill(
                "home.deck_any",
                &[("size", &size), ("cards", &language.number(card_count))],
            ),
        };
        text.push_str(language.text(if self.government {
            "home.deck_government"
        } else {
            "home.deck_plain"
        }));
        text
    }
}

/// An editor's deck (`content/decks/<slug>.md`): its introduction, its
/// proposals, the quiz on them and the code to embed it.
#[derive(Debug, Serialize)]
pub struct DeckPage<'a> {
    site: &'a SiteView,
    #[serde(flatten)]
    frame: Frame,
    title: &'a str,
    intro_html: &'a str,
    /// The ids, comma-separated, as the quiz's `?propostas=` takes them.
    ids: String,
    proposals: Vec<(String, String)>,
}

impl<'a> DeckPage<'a> {
    pub fn new(
        site: &'a SiteView,
        frame: Frame,
        deck: &'a crate::content::Deck,
        proposals: &[&Proposal],
    ) -> Self {
        DeckPage {
            site,
            frame,
            title: &deck.title,
            intro_html: &deck.intro_html,
            ids: deck.proposals.join(","),
            proposals: proposals
                .iter()
                .map(|p| (p.title.clone(), site.names.proposal_dir(&p.id)))
                .collect(),
        }
    }
}

/// The index of the editors' decks.
#[derive(Debug, Serialize)]
pub struct DecksPage<'a> {
    site: &'a SiteView,
    #[serde(flatten)]
    frame: Frame,
    decks: Vec<(String, String)>,
}

impl<'a> DecksPage<'a> {
    pub fn new(site: &'a SiteView, frame: Frame, decks: &[crate::content::Deck]) -> Self {
        DecksPage {
            site,
            frame,
            decks: decks
                .iter()
                .map(|d| (d.title.clone(), format!("{}{}/", super::DECKS_DIR, d.slug)))
                .collect(),
        }
    }
}

/// An editor's page (`content/pages/<slug>.md`).
#[derive(Debug, Serialize)]
pub struct ContentPage<'a> {
    site: &'a SiteView,
    #[serde(flatten)]
    frame: Frame,
    title: &'a str,
    html: &'a str,
}

impl<'a> ContentPage<'a> {
    pub fn new(site: &'a SiteView, frame: Frame, page: &'a crate::content::Page) -> Self {
        ContentPage {
            site,
            frame,
            title: &page.title,
            html: &page.html,
        }
    }
}

/// A page with nothing from the data, only the interface's words: the
/// page a host shows for an unknown address, the search page.
#[derive(Debug, Serialize)]
pub struct PlainPage<'a> {
    site: &'a SiteView,
    #[serde(flatten)]
    frame: Frame,
}

impl<'a> PlainPage<'a> {
    pub fn new(site: &'a SiteView, frame: Frame) -> Self {
        PlainPage { site, frame }
    }
}

/// The topics' index: every topic with its number of initiatives.
#[derive(Debug, Serialize)]
pub struct TopicsPage<'a> {
    site: &'a SiteView,
    #[serde(flatten)]
    frame: Frame,
    topics: Vec<TopicLink>,
}

#[derive(Debug, Serialize)]
struct TopicLink {
    name: String,
    path: String,
    count: String,
}

impl<'a> TopicsPage<'a> {
    pub fn new(
        site: &'a SiteView,
        frame: Frame,
        topics: &std::collections::BTreeMap<&str, Vec<&Proposal>>,
    ) -> Self {
        let language = &site.language;
        TopicsPage {
            site,
            frame,
            topics: topics
                .iter()
                .map(|(name, proposals)| TopicLink {
                    name: (*name).to_owned(),
                    path: site.names.topic_dir(name),
                    count: language.fill(
                        "listing.topic_count",
                        &[("n", &language.number(proposals.len() as u64))],
                    ),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct ProposalPage<'a> {
    site: &'a SiteView,
    #[serde(flatten)]
    frame: Frame,
    p: ProposalView<'a>,
}

#[derive(Debug, Serialize)]
struct ProposalView<'a> {
    id: &'a str,
    title: &'a str,
    /// The editors' plain-language summary (`content/proposals/<id>.md`), as safe HTML.
    summary_html: Option<&'a str>,
    /// The editors' tags for it.
    tags: &'a [String],
    /// "Projeto de Lei n.º 12", the kind alone, or nothing.
    heading: String,
    /// Whether the heading's kind is the data's own word.
    heading_is_data: bool,
    legislature: &'a str,
    legislature_path: String,
    date: Option<String>,
    authors: &'a [String],
    /// Who proposed it relative to the government of the day ("oposição");
    /// nothing when the site names no governments or it says nothing.
    proposer: Option<&'a str>,
    committee: Option<&'a str>,
    topics: &'a [String],
    /// The official link, only when it is a web address.
    link: Option<&'a str>,
    /// The news of the decisive vote's day in the site's news archive.
    news: Option<NewsLink>,
    result: Option<&'a str>,
    result_class: &'static str,
    decisive_phase: Option<(&'a str, bool)>,
    actors: Vec<&'a Actor>,
    votes: Vec<VoteView<'a>>,
}

#[derive(Debug, Serialize)]
struct NewsLink {
    href: String,
    /// "Notícias desse dia (3 de março de 2022), em arquivo.pt".
    label: String,
}

impl NewsLink {
    /// The archive's address for `day`, or nothing when the site has none.
    fn new(archive: Option<&str>, day: Date, language: &Language) -> Option<NewsLink> {
        let archive = archive?;
        let host = crate::config::host_and_path(archive).map_or(archive, |(host, _)| host);
        let host = host.strip_prefix("www.").unwrap_or(host);
        Some(NewsLink {
            // The day as YYYYMMDD: its ISO form without the dashes.
            href: archive.replace(crate::config::NEWS_DATE, &day.to_string().replace('-', "")),
            label: language.fill(
                "proposal.news",
                &[("date", &language.date(day)), ("archive", host)],
            ),
        })
    }
}

#[derive(Debug, Serialize)]
struct VoteView<'a> {
    /// The row's id, which the feed links to (`#vote-85623`).
    anchor: String,
    date: String,
    phase: &'a str,
    /// Whether `phase` is the data's own word.
    phase_is_data: bool,
    description: &'a str,
    result: &'a str,
    unanimous: bool,
    decisive: bool,
    /// For the decisive vote: what it is used for ("Votação usada no questionário", ...).
    decisive_note: &'a str,
    /// For the decisive vote, how much it split the parties ("divisão entre partidos: 87%").
    split: Option<String>,
    /// The committee's name for a committee vote; none in plenary.
    committee: Option<&'a str>,
    /// Whole-vote totals when the source gives them ("A favor 120 · Contra 80").
    totals: Option<String>,
    cells: Vec<Cell<'a>>,
    /// Members named one by one, as "Name (PS): Contra".
    members: Vec<String>,
}

#[derive(Debug, Serialize)]
struct Cell<'a> {
    label: &'a str,
    class: &'static str,
    /// Member counts of a split group, e.g. "2 a favor, 54 contra".
    detail: String,
}

impl<'a> ProposalPage<'a> {
    /// The page with the editors' note on the proposal, if any.
    pub fn with_note(mut self, note: Option<&'a crate::content::ProposalNote>) -> Self {
        if let Some(note) = note {
            self.p.summary_html = Some(&note.summary_html);
            self.p.tags = &note.tags;
        }
        self
    }

    pub fn new(
        site: &'a SiteView,
        frame: Frame,
        all_actors: &'a [Actor],
        proposal: &'a Proposal,
    ) -> Self {
        let language = &site.language;
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
            .map(|vote| {
                let (phase, phase_is_data) = site.labels.phase(&vote.phase);
                VoteView {
                    anchor: super::vote_anchor(&vote.id),
                    date: language.date(vote.date),
                    phase,
                    phase_is_data,
                    description: &vote.description,
                    result: vote
                        .result
                        .map_or("", |r| language.text(outcome_label(r).0)),
                    unanimous: vote.unanimous,
                    decisive: decisive.is_some_and(|d| std::ptr::eq(d, vote)),
                    decisive_note: language.text(if proposal.is_quiz_eligible() {
                        "proposal.decisive_quiz"
                    } else {
                        "proposal.decisive_not_quiz"
                    }),
                    split: decisive
                        .filter(|d| std::ptr::eq(*d, vote))
                        .map(|vote| split_text(vote, language)),
                    committee: match &vote.venue {
                        Venue::Plenary => None,
                        Venue::Committee(name) => Some(
                            name.as_deref()
                                .unwrap_or(language.text("proposal.committee")),
                        ),
                    },
                    totals: vote.totals.as_ref().map(|t| totals_text(t, language)),
                    cells: actors
                        .iter()
                        .map(|a| {
                            let mut cell =
                                position_cell(vote.positions.get(&a.id).copied(), language);
                            cell.detail = vote
                                .counts
                                .get(&a.id)
                                .map(|t| tally_text(t, language))
                                .unwrap_or_default();
                            cell
                        })
                        .collect(),
                    members: vote
                        .members
                        .iter()
                        .map(|m| {
                            language.fill(
                                "proposal.member",
                                &[
                                    ("name", &m.name),
                                    ("group", &m.actor),
                                    ("position", position_cell(Some(m.position), language).label),
                                ],
                            )
                        })
                        .collect(),
                }
            })
            .collect();
        let result = decisive.and_then(|v| v.result).map(outcome_label);
        let (kind, heading_is_data) = site.labels.kind(&proposal.kind);
        let heading = if proposal.number.trim().is_empty() {
            kind.to_owned()
        } else {
            language.fill(
                "proposal.number",
                &[("kind", kind), ("number", proposal.number.trim())],
            )
        };
        ProposalPage {
            site,
            frame,
            p: ProposalView {
                id: &proposal.id,
                title: &proposal.title,
                summary_html: None,
                tags: &[],
                heading: heading.trim().to_owned(),
                heading_is_data,
                legislature: &proposal.legislature,
                legislature_path: site.names.legislature_dir(&proposal.legislature),
                date: proposal.date().map(|d| language.date(d)),
                authors: &proposal.authors,
                proposer: proposal
                    .proposer
                    .and_then(proposer_key)
                    .map(|key| language.text(key)),
                committee: proposal.committee.as_deref(),
                topics: &proposal.topics,
                link: proposal.link.as_deref().and_then(web_link),
                news: decisive
                    .map(|v| v.date)
                    .filter(|day| *day != Date::UNKNOWN)
                    .or(proposal.date())
                    .filter(|day| *day != Date::UNKNOWN)
                    .and_then(|day| NewsLink::new(site.news_archive.as_deref(), day, language)),
                result: result.map(|r| language.text(r.0)),
                result_class: result.map_or("", |r| r.1),
                // A source without phases (a Popolo export) names none.
                decisive_phase: decisive
                    .filter(|v| !v.phase.trim().is_empty())
                    .map(|v| site.labels.phase(&v.phase)),
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

/// The key of who proposed an initiative, as the page says it; nothing
/// for "other" (a committee, citizens, ...), which says nothing.
fn proposer_key(kind: ProposerKind) -> Option<&'static str> {
    match kind {
        ProposerKind::Government => Some("proposal.government"),
        ProposerKind::GovernmentParty => Some("proposal.government_party"),
        ProposerKind::Opposition => Some("proposal.opposition"),
        ProposerKind::Other => None,
    }
}

/// How much a vote split the parties ("divisão entre partidos: 87%").
fn split_text(vote: &Vote, language: &Language) -> String {
    let percent = language.percent(vote.informativeness());
    language.fill("proposal.split", &[("percent", &percent)])
}

/// (label key, CSS class) of an outcome.
pub(crate) fn outcome_label(outcome: Outcome) -> (&'static str, &'static str) {
    match outcome {
        Outcome::Approved => ("proposal.approved", "approved"),
        Outcome::Rejected => ("proposal.rejected", "rejected"),
    }
}

fn position_cell(position: Option<Position>, language: &Language) -> Cell<'_> {
    let (key, class) = match position {
        Some(Position::For) => ("proposal.for", "for"),
        Some(Position::Against) => ("proposal.against", "against"),
        Some(Position::Abstain) => ("proposal.abstain", "abstain"),
        Some(Position::Absent) => ("proposal.absent", "absent"),
        Some(Position::Split) => ("proposal.divided", "split"),
        None => ("proposal.none", "none"),
    };
    Cell {
        label: language.text(key),
        class,
        detail: String::new(),
    }
}

/// "2 a favor, 54 contra": the member counts of a group, largest first.
fn tally_text(tally: &Tally, language: &Language) -> String {
    let mut parts = vec![
        (tally.in_favour, "proposal.tally_for"),
        (tally.against, "proposal.tally_against"),
        (tally.abstain, "proposal.tally_abstain"),
        (tally.absent, "proposal.tally_absent"),
    ];
    parts.retain(|(n, _)| *n > 0);
    parts.sort_by_key(|part| std::cmp::Reverse(part.0));
    parts
        .iter()
        .map(|(n, key)| language.fill(key, &[("n", &n.to_string())]))
        .collect::<Vec<_>>()
        .join(", ")
}

/// "Votos: 336 a favor · 300 contra · 0 abstenção": a whole vote's
/// totals in that order, a zero shown, absences only when counted.
fn totals_text(tally: &Tally, language: &Language) -> String {
    let mut parts = vec![
        (tally.in_favour, "proposal.tally_for"),
        (tally.against, "proposal.tally_against"),
        (tally.abstain, "proposal.tally_abstain"),
    ];
    if tally.absent > 0 {
        parts.push((tally.absent, "proposal.tally_absent"));
    }
    let parts: Vec<String> = parts
        .into_iter()
        .map(|(n, key)| language.fill(key, &[("n", &n.to_string())]))
        .collect();
    format!(
        "{}: {}",
        language.text("proposal.totals"),
        parts.join(" · ")
    )
}

/// At most this many quarantined records or conflicts are listed on the page.
const STATUS_LIST_LIMIT: usize = 500;

#[derive(Debug, Serialize)]
pub struct StatusPage<'a> {
    site: &'a SiteView,
    #[serde(flatten)]
    frame: Frame,
    report: &'a crate::ingest::IngestReport,
    quarantine: &'a [crate::ingest::sources::Quarantined],
    conflicts: &'a [crate::ingest::merge::Conflict],
    list_limit: usize,
}

impl<'a> StatusPage<'a> {
    pub fn new(site: &'a SiteView, frame: Frame, report: &'a crate::ingest::IngestReport) -> Self {
        let limit = |n: usize| n.min(STATUS_LIST_LIMIT);
        StatusPage {
            site,
            frame,
            report,
            quarantine: &report.quarantine[..limit(report.quarantine.len())],
            conflicts: &report.conflicts[..limit(report.conflicts.len())],
            list_limit: STATUS_LIST_LIMIT,
        }
    }
}

/// A site view in language `code`, for the render modules' tests.
#[cfg(test)]
pub(crate) fn test_site(code: &str) -> SiteView {
    let language = Language::load(std::path::Path::new("/nonexistent"), code).unwrap();
    SiteView {
        title: "t".into(),
        description: "d".into(),
        legislatures: vec![],
        lang: language.locale().to_owned(),
        data_lang: None,
        data_attr: String::new(),
        t: language.for_templates(),
        words: Default::default(),
        word_cache: Default::default(),
        names: Default::default(),
        footer_credit: None,
        languages: Vec::new(),
        language,
        labels: Labels::default(),
        base_url: None,
        search: true,
        search_parts: 1,
        news_archive: None,
        canonical_root: None,
        content_links: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hemiciclo_core::PhaseKind;

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

    fn site(code: &str) -> SiteView {
        test_site(code)
    }

    #[test]
    fn frames_lead_to_the_language_root_and_the_site_root() {
        let frame = Frame::new("en/", "p/1/");
        assert_eq!(
            (frame.root.as_str(), frame.assets.as_str()),
            ("../../", "../../../")
        );
        let frame = Frame::new("", "");
        assert_eq!((frame.root.as_str(), frame.assets.as_str()), ("", ""));
    }

    #[test]
    fn proposal_page_names_the_proposer_topics_and_split() {
        let site = site("pt");
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
        let page = ProposalPage::new(&site, Frame::new("", "p/100/"), &[], &proposal);
        assert_eq!(page.p.link, None);
        assert_eq!(page.p.proposer, Some("oposição"));
        assert_eq!(page.p.topics, ["Saúde"]);
        assert_eq!(page.p.heading, "Projeto de Lei n.º 1");
        let splits: Vec<_> = page.p.votes.iter().map(|v| v.split.as_deref()).collect();
        assert_eq!(
            splits,
            [None, Some("divisão entre partidos: 100%")],
            "only the decisive vote"
        );
        assert_eq!(page.p.votes[1].date, "2 de janeiro de 2023");

        let mut english = self::site("en");
        english.labels.kinds = [("Projeto de Lei".to_owned(), "Bill".to_owned())].into();
        let mut bare = proposal.clone();
        bare.number = String::new();
        bare.proposer = Some(ProposerKind::Other);
        let page = ProposalPage::new(&english, Frame::new("en/", "p/100/"), &[], &bare);
        assert_eq!(page.p.heading, "Bill", "no number: the kind alone");
        assert!(!page.p.heading_is_data);
        assert_eq!(page.p.proposer, None, "\"other\" says nothing");
        assert_eq!(page.p.votes[1].date, "January 2, 2023");
        assert_eq!(page.p.votes[1].result, "Approved");
        assert_eq!(
            proposer_key(ProposerKind::Government),
            Some("proposal.government")
        );
    }

    #[test]
    fn a_vote_with_totals_shows_them_on_one_line() {
        let site = site("pt");
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
        let page = ProposalPage::new(&site, Frame::new("", "p/100/"), &[], &proposal);
        let totals: Vec<_> = page.p.votes.iter().map(|v| v.totals.as_deref()).collect();
        assert_eq!(
            totals,
            [None, Some("Votos: 320 a favor · 200 contra · 0 abstenção")],
            "a zero is shown, absences only when counted"
        );
        let with_absent = Tally {
            absent: 12,
            ..Tally::default()
        };
        assert_eq!(
            totals_text(&with_absent, &site.language),
            "Votos: 0 a favor · 0 contra · 0 abstenção · 12 ausentes"
        );
    }
}
