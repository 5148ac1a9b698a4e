// The quiz's results: the verdict, an offer to continue while it is not
// clear, every party's score as a bar with its interval and, opening in
// place, answer by answer; the cards that decided; the parties not seated
// shown apart; a switch of scoring rule; the share link. All drawn from
// what QuizEngine.results() gives. A module of its own so that the page
// loads it only once a deck is done.

const $ = (id) => document.getElementById(id);

// Ten-thousandths as the engine's command line prints them: "0.6250".
function tenThousandths(x) {
  const n = Math.round(Math.min(Math.max(x, 0), 1) * 10000);
  return `${Math.floor(n / 10000)}.${String(n % 10000).padStart(4, "0")}`;
}

function percent(x) {
  return `${Math.round(Math.min(Math.max(x, 0), 1) * 100)}%`;
}

const ANSWERS = { for: "a favor", against: "contra", abstain: "abstenção", skip: "saltou" };
const POSITIONS = { F: "a favor", A: "contra", N: "absteve-se" };
const RULES = {
  default: "a regra habitual",
  exact: "a regra «só votar igual conta»",
  "abstain-disagree": "a regra «abstenção nunca concorda»",
  "member-share": "a regra «parte dos deputados»",
};

// `offerContinue` starts the continued deck (quiz.js owns the cards).
export function renderResults(quiz, status, offerContinue) {
  const rule = $("rule").value || "default";
  let results;
  try {
    results = quiz.engine.results(rule);
  } catch (e) {
    if (e.name !== "CardNotLoaded") status(e.message);
    else if (!quiz.failed) status("A carregar as propostas…");
    return;
  }
  const all = [...results.scores, ...results.apart];
  const byId = new Map(all.map((s) => [s.actor, s]));
  const name = (id) => (byId.get(id) ? byId.get(id).name : id);

  const verdict = $("verdict");
  verdict.dataset.verdict = results.verdict.kind;
  verdict.dataset.kind = verdictKind(results);
  verdict.dataset.actors = results.verdict.actors.join(",");
  verdict.textContent = verdictText(results, name);
  // Continuing follows the default rule's verdict, whatever rule is shown.
  const base = rule === "default" ? results : quiz.engine.results("default");
  renderContinueOffer(quiz, base, name, offerContinue);
  $("scope").textContent = scopeText(results);
  renderScores($("result-list"), results.scores, results);
  const shownApart = results.apart.filter((s) => s.score !== null);
  $("apart-title").textContent = results.legislature
    ? `Sem assento na legislatura ${results.legislature} (à parte, não entram na comparação)`
    : "À parte";
  renderScores($("apart-list"), shownApart, results);
  $("apart").hidden = shownApart.length === 0;
  renderPairs(results, name);
  renderRuleNote(quiz, results, name);
  $("rule").onchange = () => renderResults(quiz, status, offerContinue);

  const address = `${location.href.split("#")[0]}#${results.share}`;
  const share = $("share-link");
  share.href = address;
  share.dataset.code = results.share;
  share.textContent = address;
  $("share-copy").onclick = () => copyLink(address, status);
  $("results").hidden = false;
  status(results.counted === 0 ? "Saltou todas as propostas: não há com que comparar." : "");
  // The link in the address bar too, so that a reload or a bookmark keeps it.
  if (location.hash.slice(1) !== results.share) history.replaceState(null, "", address);
}

// "Not clear yet: go on, up to N cards", while the engine says it may.
function renderContinueOffer(quiz, results, name, offerContinue) {
  const engine = quiz.engine;
  let more = false;
  try {
    more = !quiz.fromLink && (engine.canContinue() || (quiz.stopped && !engine.isFinished()));
  } catch {
    more = false;
  }
  $("continue-offer").hidden = !more;
  if (!more) return;
  // Cards answered so far: a card left unanswered by "Ver já os resultados" is still to come.
  const left = results.cap - results.reasons.cards.length;
  const open = results.verdict.kind === "too-close-to-call";
  const who = list(results.verdict.actors.map(name));
  $("continue-text").textContent = open
    ? `Ainda não dá para separar ${who}. Pode responder a mais propostas, escolhidas uma a uma para os distinguir: até ${results.cap} no total (mais ${left} no máximo); para assim que a resposta for clara.`
    : `Pode responder a mais propostas: até ${results.cap} no total (mais ${left} no máximo); para assim que a resposta for clara.`;
  $("continue").onclick = offerContinue;
}

function scopeText(results) {
  const parties = results.scores.length;
  const base = results.legislature
    ? `Comparação entre os ${parties} partidos com assento na legislatura ${results.legislature}, nas ${results.counted} propostas a que respondeu.`
    : `Comparação nas ${results.counted} propostas a que respondeu.`;
  return `${base} A barra é a concordância; o traço, a margem de 95%.`;
}

// One item per party: acronym and full name, the bar with its interval,
// the score, and its answers opening in place.
function renderScores(list, scores, results) {
  list.replaceChildren();
  for (const s of scores) {
    if (s.score === null) continue;
    const item = document.createElement("li");
    item.dataset.testid = "party-score";
    item.dataset.actor = s.actor;
    item.dataset.score = tenThousandths(s.score);
    item.dataset.low = tenThousandths(s.low);
    item.dataset.high = tenThousandths(s.high);
    item.dataset.covered = s.covered;
    const label = span("name", s.name);
    // A non-attached member's id already holds their name.
    if (s.fullName && !s.name.startsWith(s.fullName)) label.append(" ", span("full-name", s.fullName));
    const bar = span("bar", "");
    bar.setAttribute("role", "img");
    bar.setAttribute(
      "aria-label",
      `${s.name}: ${percent(s.score)}, margem de ${percent(s.low)} a ${percent(s.high)}`,
    );
    const fill = span("fill", "");
    fill.style.width = percent(s.score);
    const interval = span("interval", "");
    interval.style.left = percent(s.low);
    interval.style.width = percent(s.high - s.low);
    bar.append(fill, interval);
    const details = document.createElement("details");
    details.dataset.testid = "party-answers";
    const summary = document.createElement("summary");
    summary.textContent = `Resposta a resposta (votou em ${s.covered} das ${results.counted} a que respondeu)`;
    details.append(summary, answersOf(s, results));
    item.append(span("rank", `${s.rank}.`), label, bar, span("pct", percent(s.score)), details);
    list.append(item);
  }
}

// The citizen's answer beside the party's vote on every card.
function answersOf(s, results) {
  const list = document.createElement("ol");
  list.className = "answer-list";
  for (const card of results.reasons.cards) {
    const item = document.createElement("li");
    const code = card.positions[s.index];
    const theirs = POSITIONS[code];
    const link = document.createElement("a");
    link.href = card.page;
    link.textContent = card.title || card.id;
    const mine = `você: ${ANSWERS[card.answer]}${card.important ? " (importante)" : ""}`;
    const party = theirs
      ? `${s.name}: ${theirs}`
      : `${s.name}: não votou (ausente ou sem registo), por isso esta proposta não conta para ${s.name}`;
    item.append(link, ` — ${mine}; ${party}.`);
    item.dataset.agree = !theirs || card.answer === "skip" ? "none" : code === codeOf(card.answer) ? "yes" : "no";
    list.append(item);
  }
  return list;
}

function codeOf(answer) {
  return { for: "F", against: "A", abstain: "N" }[answer];
}

// The leader against each rival, on the cards where they voted differently.
function renderPairs(results, name) {
  const lines = [];
  const cards = results.reasons.cards;
  for (const pair of results.pairs.slice(0, 4)) {
    const differ = pair.leaderBetter + pair.rivalBetter;
    const line = differ
      ? `${name(pair.leader)} e ${name(pair.rival)}: nas ${differ} propostas em que votaram de forma diferente, ${name(pair.leader)} ficou mais perto de si em ${pair.leaderBetter} e ${name(pair.rival)} em ${pair.rivalBetter}${pair.clear ? " — diferença clara." : " — ainda pode ser acaso."}`
      : `${name(pair.leader)} e ${name(pair.rival)} votaram da mesma forma em todas as propostas a que respondeu.`;
    lines.push(line);
  }
  const head = results.reasons.headToHead;
  if (head) {
    const deciding = head.cards.filter((d) => d.difference > 0).slice(0, 5);
    if (deciding.length) {
      lines.push(
        `Propostas que puseram ${name(head.leader)} à frente de ${name(head.runnerUp)}: ${deciding
          .map((d) => `«${cards[d.card] ? cards[d.card].title : "?"}»`)
          .join(", ")}.`,
      );
    }
  }
  for (const flip of results.reasons.counterfactuals.slice(0, 2)) {
    const card = cards[flip.card];
    lines.push(
      `Se tivesse respondido ${ANSWERS[flip.answer]} a «${card ? card.title : "?"}», ${flip.leaders.map(name).join(" e ")} ${flip.leaders.length > 1 ? "ficariam" : "ficaria"} à frente.`,
    );
  }
  const list = $("pairs-list");
  list.replaceChildren(...lines.map((line) => Object.assign(document.createElement("li"), { textContent: line })));
  $("pairs").hidden = lines.length === 0;
}

// Whether another rule would change who comes first.
function renderRuleNote(quiz, results, name) {
  let differing = [];
  try {
    differing = quiz.engine.rulesThatDiffer();
  } catch {
    differing = [];
  }
  const note = $("rule-note");
  note.dataset.differing = differing.join(",");
  const leaders = results.scores.filter((s) => s.score !== null && s.rank === 1).map((s) => name(s.actor));
  const now = `Com ${RULES[results.rule]}, à frente: ${leaders.join(", ") || "ninguém"}.`;
  note.textContent = differing.length
    ? `${now} A ordem dos primeiros muda com ${differing.map((r) => RULES[r]).join(", ")}: experimente-as acima.`
    : `${now} Com qualquer das outras regras, os três primeiros são os mesmos.`;
}

function span(className, text) {
  const element = document.createElement("span");
  element.className = className;
  element.textContent = text;
  return element;
}

function list(names) {
  return names.length > 1 ? `${names.slice(0, -1).join(", ")} e ${names[names.length - 1]}` : names.join("");
}

// The stable hook for outside scripts: clear, alike, too-close, tie, none.
function verdictKind(results) {
  const [first, second] = results.scores;
  switch (results.verdict.kind) {
    case "leader":
      return "clear";
    case "alike":
      return "alike";
    case "too-close-to-call":
      return second && second.score !== null && second.score === first.score ? "tie" : "too-close";
    default:
      return "none";
  }
}

function verdictText(results, name) {
  const verdict = results.verdict;
  const names = verdict.actors.map(name);
  const [first] = names;
  switch (verdict.kind) {
    case "leader":
      return `${first} foi o partido que votou mais como você: à frente de cada um dos outros nas propostas em que votaram de forma diferente.`;
    case "alike": {
      const same = verdict.same
        .map((share, i) => (share === null ? null : `${first} e ${names[i + 1]} votaram da mesma forma em ${percent(share)} das votações da legislatura ${results.legislature}`))
        .filter(Boolean);
      return `${list(names)} votaram mais como você do que qualquer outro partido. ${same.join("; ")}${same.length ? ", e" : "E"} as suas respostas não os distinguem: votam quase sempre igual.`;
    }
    case "too-close-to-call":
      if (verdictKind(results) === "tie") {
        const tied = results.scores.filter((s) => s.score !== null && s.rank === 1).map((s) => name(s.actor));
        const rest = names.filter((n) => !tied.includes(n));
        return `Ainda não é claro: ${list(tied)} estão empatados à frente${rest.length ? `, e ${list(rest)} ainda não se distinguem deles o bastante.` : "."}`;
      }
      return `Ainda não é claro: ${first} está à frente, mas nas propostas em que votou de forma diferente de ${list(names.slice(1))} ainda não se distinguiu deles o bastante.`;
    case "none-close":
      return `Nenhum partido está perto de si: o mais próximo, ${first}, concorda consigo em menos de metade.`;
    default:
      return "Nenhum partido votou nas propostas a que respondeu.";
  }
}

// Shares the link with the phone's share sheet when there is one, else
// copies it; says so either way.
async function copyLink(address, status) {
  try {
    if (navigator.share) {
      await navigator.share({ title: document.title, url: address });
      return;
    }
    await navigator.clipboard.writeText(address);
    status("Ligação copiada.");
  } catch (e) {
    if (e.name !== "AbortError") status("Não foi possível copiar: selecione a ligação acima e copie-a à mão.");
  }
}
