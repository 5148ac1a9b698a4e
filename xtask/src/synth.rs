//! Synthetic parliaments for benchmarks and tests: `cargo xtask synth N DIR`
//! writes a site of N proposals in the AR votes CSV layout (the default
//! format), and [`hugo_site`] the same proposals as a Hugo site with as many
//! pages, so both generators can be timed on equal work. The browser tests
//! build a site of their own with it (this module is in xtask's library).
//!
//! Votes follow a left–right line: each party has a place on it, each
//! proposal a point; a party votes for what lies near it, against what lies
//! far, abstains in between, and is now and then absent. So blocs form,
//! results vary and most votes are not unanimous, as in the real data.
//!
//! The default parliament is the nine parties of [`PARTIES`]; any other
//! number ([`parties`]) are spread evenly along the line, the largest in
//! the centre-left and centre-right, as in most parliaments.

use anyhow::{Context, Result};
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

/// Party, place on the left–right line, seats (of 230): the default
/// parliament, [`DEFAULT_PARTIES`] of them.
pub const PARTIES: &[(&str, f64, u32)] = &[
    ("PCP", -0.8, 6),
    ("BE", -0.7, 5),
    ("L", -0.5, 4),
    ("PAN", -0.3, 1),
    ("PS", -0.2, 78),
    ("PSD", 0.3, 80),
    ("CDS-PP", 0.45, 2),
    ("IL", 0.6, 8),
    ("CH", 0.85, 46),
];

/// How many parties a synthetic parliament has unless told otherwise.
pub const DEFAULT_PARTIES: usize = PARTIES.len();

/// Seats in the synthetic parliament.
const SEATS: f64 = 230.0;

/// A party of a synthetic parliament.
#[derive(Debug, Clone, PartialEq)]
pub struct Party {
    pub name: String,
    /// Its place on the left–right line, from -1 (left) to 1 (right).
    pub place: f64,
    pub seats: u32,
}

/// `count` parties: [`PARTIES`] for the default nine; otherwise `P1`, `P2`,
/// ... from left to right, evenly spread over -0.9 to 0.9, with seats
/// (at least one each, about 230 in all) mostly to those near the
/// centre-left (-0.2) and centre-right (0.3).
pub fn parties(count: usize) -> Vec<Party> {
    if count == DEFAULT_PARTIES {
        return PARTIES
            .iter()
            .map(|&(name, place, seats)| Party {
                name: name.to_owned(),
                place,
                seats,
            })
            .collect();
    }
    let places: Vec<f64> = (0..count)
        .map(|k| match count {
            1 => 0.0,
            _ => -0.9 + 1.8 * k as f64 / (count - 1) as f64,
        })
        .collect();
    let weight = |place: f64| {
        let bump = |centre: f64| (-((place - centre) / 0.3).powi(2)).exp();
        0.05 + bump(-0.2) + bump(0.3)
    };
    let total: f64 = places.iter().map(|&p| weight(p)).sum();
    places
        .iter()
        .enumerate()
        .map(|(k, &place)| Party {
            name: format!("P{}", k + 1),
            place,
            seats: ((weight(place) / total * SEATS).round() as u32).max(1),
        })
        .collect()
}

/// The party in government: the largest left of centre, as from 2015 in
/// the real data (PS of the nine), else the largest; the first of equals.
pub fn government(parties: &[Party]) -> Option<&Party> {
    let largest = |left: bool| {
        parties
            .iter()
            .rev()
            .filter(|p| !left || p.place <= 0.0)
            .max_by_key(|p| p.seats)
    };
    largest(true).or_else(|| largest(false))
}

const LEGISLATURES: &[(&str, &str, i32)] = &[
    ("XIV", "l14", 2020),
    ("XV", "l15", 2022),
    ("XVI", "l16", 2024),
];

const KINDS: &[(&str, &str)] = &[
    ("J", "Projeto de Lei"),
    ("R", "Projeto de Resolução"),
    ("P", "Proposta de Lei"),
];

const VERBS: &[&str] = &[
    "Altera",
    "Aprova",
    "Reforça",
    "Cria",
    "Revoga",
    "Recomenda ao Governo que reveja",
    "Estabelece",
    "Regula",
    "Alarga",
    "Simplifica",
];
const OBJECTS: &[&str] = &[
    "o regime jurídico da habitação",
    "o acesso ao Serviço Nacional de Saúde",
    "as propinas do ensino superior",
    "a tarifa regulada de eletricidade",
    "o estatuto dos trabalhadores por turnos",
    "a proteção dos animais de companhia",
    "o Código do Imposto sobre o Rendimento",
    "a lei de enquadramento orçamental",
    "os transportes públicos nas áreas metropolitanas",
    "o apoio às micro e pequenas empresas",
    "a gestão florestal e a prevenção de incêndios",
    "a carreira docente",
    "o direito à greve nos serviços mínimos",
    "a transparência no financiamento partidário",
];
const TAILS: &[&str] = &[
    "",
    ", garantindo a sua sustentabilidade",
    " e procede à sua republicação",
    " nas regiões autónomas",
    ", reforçando a fiscalização",
    " para jovens até aos 35 anos",
];

/// SplitMix64: small, seedable, the same numbers on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }
}

/// One synthetic proposal with its votes.
#[derive(Debug, Clone)]
pub struct Proposal {
    pub id: u64,
    pub number: usize,
    pub legislature: &'static str,
    pub file: &'static str,
    pub kind: (&'static str, &'static str),
    pub title: String,
    /// The authoring party (an index into the parties), or `None` for
    /// the government.
    pub author: Option<usize>,
    pub votes: Vec<Vote>,
}

#[derive(Debug, Clone)]
pub struct Vote {
    pub phase: &'static str,
    pub date: String,
    pub approved: bool,
    /// One per party: "A Favor", "Contra", "Abstenção", "Ausência".
    pub positions: Vec<&'static str>,
}

/// `n` proposals voted by `parties`, the same for the same `n`, parties
/// and `seed`.
pub fn proposals(n: usize, parties: &[Party], seed: u64) -> Vec<Proposal> {
    let mut rng = Rng(seed);
    (0..n)
        .map(|i| {
            let (legislature, file, year) = LEGISLATURES[i * LEGISLATURES.len() / n.max(1)];
            let kind = *rng.pick(KINDS);
            let title = format!(
                "{} {}{}",
                rng.pick(VERBS),
                rng.pick(OBJECTS),
                rng.pick(TAILS)
            );
            let author = (kind.0 != "P" && !parties.is_empty())
                .then(|| (rng.next() % parties.len() as u64) as usize);
            let point = rng.unit() * 2.0 - 1.0;
            let phases: &[&str] = if rng.unit() < 0.3 {
                &["Votação na generalidade", "Votação final global"]
            } else {
                &["Votação na generalidade"]
            };
            let day = (rng.next() % 700) as i32;
            let votes = phases
                .iter()
                .enumerate()
                .map(|(k, phase)| {
                    let shift = k as f64 * 0.1;
                    let positions: Vec<&'static str> = parties
                        .iter()
                        .enumerate()
                        .map(|(k, party)| {
                            let distance = (party.place - point - shift).abs() + rng.unit() * 0.4;
                            if rng.unit() < 0.03 {
                                "Ausência"
                            } else if Some(k) == author || distance < 0.5 {
                                "A Favor"
                            } else if distance < 0.75 {
                                "Abstenção"
                            } else {
                                "Contra"
                            }
                        })
                        .collect();
                    let seats = |p: &str| -> u32 {
                        parties
                            .iter()
                            .zip(&positions)
                            .filter(|(_, pos)| **pos == p)
                            .map(|(party, _)| party.seats)
                            .sum()
                    };
                    Vote {
                        phase,
                        date: date(year, day + 30 * k as i32),
                        approved: seats("A Favor") > seats("Contra"),
                        positions,
                    }
                })
                .collect();
            Proposal {
                id: 200_000 + i as u64,
                number: i + 1,
                legislature,
                file,
                kind,
                title,
                author,
                votes,
            }
        })
        .collect()
}

/// `YYYY-MM-DD` for day `day` (0-based) counted from 1 March of `year`,
/// with 28-day months: plausible dates, no calendar needed.
fn date(year: i32, day: i32) -> String {
    let months = day / 28;
    let (year, month) = (year + (2 + months) / 12, (2 + months) % 12 + 1);
    format!("{year:04}-{month:02}-{:02}", day % 28 + 1)
}

const HEADER: &[&str] = &[
    "iniNr",
    "id",
    "Tipo",
    "iniTipo",
    "iniDescTipo",
    "iniLeg",
    "iniSel",
    "dataInicioleg",
    "dataFimleg",
    "iniTitulo",
    "iniTextoSubst",
    "iniLinkTexto",
    "iniEventos",
    "iniAutorDeputados",
    "iniAutorOutros",
    "iniId",
    "iniAutorGruposParlamentares",
    "iniTextoSubstCampo",
    "fase",
    "iniAutorOutros_sigla",
    "iniAutorOutros_nome",
    "autor",
    "resultado",
    "reuniao",
    "tipoReuniao",
    "data",
    "descricao",
    "iniAnexos",
    "idComissao",
    "nomeComissao",
    "competenteComissao",
    "unanime",
    "ausencias",
    "peticoes",
    "iniObs",
    "publicacao",
    "iniciativasOrigem",
    "ano",
    "leg",
];

/// The proposals as one AR votes CSV, a column per party.
pub fn ar_csv(parties: &[Party], proposals: &[Proposal]) -> String {
    let mut out = String::new();
    let names = parties.iter().map(|p| p.name.as_str());
    let header: Vec<&str> = HEADER.iter().copied().chain(names).collect();
    out.push_str(&header.join(","));
    out.push('\n');
    let mut vote_id = 900_000;
    for p in proposals {
        for vote in &p.votes {
            vote_id += 1;
            let (group, sigla, other) = match p.author {
                Some(party) => (parties[party].name.as_str(), "", ""),
                None => ("", "V", "Governo"),
            };
            let unanimous = vote.positions.iter().all(|x| *x == vote.positions[0]);
            let fields: Vec<String> = [
                p.number.to_string(),
                vote_id.to_string(),
                "I".into(),
                p.kind.0.into(),
                p.kind.1.into(),
                p.legislature.into(),
                "1".into(),
                String::new(),
                String::new(),
                format!("\"{}\"", p.title.replace('"', "\"\"")),
                "NAO".into(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                p.id.to_string(),
                group.into(),
                String::new(),
                vote.phase.into(),
                sigla.into(),
                other.into(),
                if other.is_empty() { group } else { other }.into(),
                if vote.approved {
                    "Aprovado"
                } else {
                    "Rejeitado"
                }
                .into(),
                "1".into(),
                "RP".into(),
                vote.date.clone(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                if unanimous { "unanime" } else { "" }.into(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                vote.date[..4].into(),
                p.file.into(),
            ]
            .into_iter()
            .chain(vote.positions.iter().map(|s| s.to_string()))
            .collect();
            out.push_str(&fields.join(","));
            out.push('\n');
        }
    }
    out
}

const SITE_TOML: &str = r#"# A synthetic parliament for benchmarks (`cargo xtask synth`).
title = "hemiciclo (synthetic)"
description = "Synthetic votes for benchmarks."
languages = ["pt", "en"]
government-author = "Governo"
deck-size = 10
base-url = "https://example.org/hemiciclo/"

[[government]]
from = "2015-11-26"
parties = ["{government}"]
"#;

/// Writes a site of `n` synthetic proposals voted by `parties` (at least
/// one) into `dir`: `site.toml` and `data/ar-votes/synthetic.csv`.
pub fn write_site(dir: &Path, n: usize, parties: &[Party], seed: u64) -> Result<()> {
    let government = government(parties).context("a parliament needs a party")?;
    let data = dir.join("data/ar-votes");
    fs::create_dir_all(&data).with_context(|| format!("cannot create {}", data.display()))?;
    fs::write(
        dir.join("site.toml"),
        SITE_TOML.replace("{government}", &government.name),
    )?;
    fs::write(
        data.join("synthetic.csv"),
        ar_csv(parties, &proposals(n, parties, seed)),
    )?;
    Ok(())
}

/// Writes the same proposals as a Hugo site into `dir`: one page per
/// proposal and language with its title, votes table and links, as
/// hemiciclo's proposal pages have, plus Hugo's own list pages.
pub fn hugo_site(dir: &Path, n: usize, parties: &[Party], seed: u64) -> Result<()> {
    let content = dir.join("content");
    for lang in ["pt", "en"] {
        fs::create_dir_all(content.join(lang).join("p"))?;
    }
    fs::create_dir_all(dir.join("layouts/_default"))?;
    fs::write(dir.join("hugo.toml"), HUGO_CONFIG)?;
    fs::write(dir.join("layouts/_default/baseof.html"), HUGO_BASEOF)?;
    fs::write(dir.join("layouts/_default/single.html"), HUGO_SINGLE)?;
    fs::write(dir.join("layouts/_default/list.html"), HUGO_LIST)?;
    for p in proposals(n, parties, seed) {
        let mut page = String::new();
        writeln!(page, "+++")?;
        writeln!(page, "title = {:?}", p.title)?;
        writeln!(page, "date = {:?}", p.votes[0].date)?;
        writeln!(page, "legislatures = [{:?}]", p.legislature)?;
        let author = p.author.map_or("Governo", |k| parties[k].name.as_str());
        writeln!(page, "authors = [{author:?}]")?;
        writeln!(page, "kind = {:?}", p.kind.1)?;
        for vote in &p.votes {
            writeln!(page, "[[votes]]")?;
            writeln!(page, "phase = {:?}", vote.phase)?;
            writeln!(page, "date = {:?}", vote.date)?;
            writeln!(page, "approved = {}", vote.approved)?;
            writeln!(page, "positions = [")?;
            for (party, position) in parties.iter().zip(&vote.positions) {
                writeln!(
                    page,
                    "  {{ party = {:?}, position = {:?} }},",
                    party.name, position
                )?;
            }
            writeln!(page, "]")?;
        }
        writeln!(page, "+++")?;
        for lang in ["pt", "en"] {
            fs::write(
                content.join(lang).join("p").join(format!("{}.md", p.id)),
                &page,
            )?;
        }
    }
    Ok(())
}

const HUGO_CONFIG: &str = r#"baseURL = "https://example.org/hemiciclo/"
title = "hemiciclo (synthetic)"
defaultContentLanguage = "pt"
disableKinds = ["RSS", "sitemap", "robotsTXT"]
paginate = 100
[taxonomies]
legislature = "legislatures"
author = "authors"
[languages.pt]
contentDir = "content/pt"
weight = 1
[languages.en]
contentDir = "content/en"
weight = 2
"#;

const HUGO_BASEOF: &str = r#"<!doctype html>
<html lang="{{ .Site.Language.Lang }}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} · {{ .Site.Title }}</title>
<link rel="stylesheet" href="{{ "style.css" | relURL }}"></head>
<body><header><a href="{{ "" | relLangURL }}">{{ .Site.Title }}</a>
<nav>{{ range .Site.Taxonomies.legislatures }}<a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ end }}</nav></header>
<main>{{ block "main" . }}{{ end }}</main>
<footer>{{ .Site.Title }}</footer></body></html>
"#;

const HUGO_SINGLE: &str = r#"{{ define "main" }}<article><h1>{{ .Title }}</h1>
<p>{{ .Params.kind }} · {{ delimit .Params.authors ", " }} · {{ .Date.Format "2006-01-02" }}</p>
{{ range .Params.votes }}<section><h2>{{ .phase }} ({{ .date }})</h2>
<p>{{ if .approved }}Aprovado{{ else }}Rejeitado{{ end }}</p>
<table><thead><tr><th>Partido</th><th>Voto</th></tr></thead><tbody>
{{ range .positions }}<tr><td>{{ .party }}</td><td>{{ .position }}</td></tr>{{ end }}
</tbody></table></section>{{ end }}
<p>{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</p>
</article>{{ end }}
"#;

const HUGO_LIST: &str = r#"{{ define "main" }}<h1>{{ .Title }}</h1><ul>
{{ range .Paginator.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Date.Format "2006-01-02" }}</li>{{ end }}
</ul>{{ with .Paginator.Next }}<a href="{{ .URL }}">→</a>{{ end }}{{ end }}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_parliament() {
        let nine = parties(DEFAULT_PARTIES);
        let csv = |n, seed| ar_csv(&nine, &proposals(n, &nine, seed));
        assert_eq!(csv(50, 7), csv(50, 7));
        assert_ne!(csv(50, 7), csv(50, 8));
    }

    #[test]
    fn the_default_parliament_is_the_nine_parties() {
        let nine = parties(DEFAULT_PARTIES);
        let names: Vec<&str> = nine.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, PARTIES.iter().map(|p| p.0).collect::<Vec<_>>());
        assert_eq!(government(&nine).unwrap().name, "PS");
        // The site's government stays the one the benchmarks have used.
        assert!(SITE_TOML.contains("parties = [\"{government}\"]"));
    }

    #[test]
    fn any_number_of_parties_spread_along_the_line() {
        for count in [1, 2, 5, 20, 60] {
            let all = parties(count);
            assert_eq!(all.len(), count);
            assert!(all.windows(2).all(|w| w[0].place < w[1].place));
            assert!(all
                .iter()
                .all(|p| p.seats >= 1 && (-1.0..=1.0).contains(&p.place)));
            let seats: u32 = all.iter().map(|p| p.seats).sum();
            assert!(seats.abs_diff(230) <= count as u32, "{count}: {seats}");
        }
        // The largest sit in the centre, the smallest at the ends.
        let twenty = parties(20);
        let largest = twenty.iter().max_by_key(|p| p.seats).unwrap();
        assert!(largest.place.abs() < 0.5, "{largest:?}");
        assert!(twenty[0].seats < largest.seats / 4);
        assert_eq!(government(&parties(1)).unwrap().name, "P1");
    }

    #[test]
    fn votes_split_and_results_vary() {
        for count in [DEFAULT_PARTIES, 4, 30] {
            let parliament = parties(count);
            let all = proposals(500, &parliament, 1);
            let votes: Vec<&Vote> = all.iter().flat_map(|p| &p.votes).collect();
            let split = votes
                .iter()
                .filter(|v| v.positions.iter().any(|p| *p != v.positions[0]))
                .count();
            let approved = votes.iter().filter(|v| v.approved).count();
            assert!(
                split * 10 > votes.len() * 8,
                "{count}: {split} of {}",
                votes.len()
            );
            assert!(
                approved > votes.len() / 5 && approved < votes.len() * 4 / 5,
                "{count}: {approved}"
            );
            let csv = ar_csv(&parliament, &all[..1]);
            let header_fields = csv.lines().next().unwrap().split(',').count();
            assert_eq!(header_fields, HEADER.len() + count);
        }
    }
}
