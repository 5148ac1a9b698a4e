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

// A width for CSS, whatever the language writes.
function cssPercent(x) {
  return `${Math.round(Math.min(Math.max(x, 0), 1) * 1000) / 10}%`;
}

// The page's words, set from quiz.js's on each render.
let strings, t, list, percent, errorText, safeHref;

// The text `key` as DOM nodes, each {name} replaced by `values.name`: a
// node stays a node (a title marked with the data's language), anything
// else becomes text.
function nodes(key, values = {}) {
  const [section, name] = key.split(".");
  const text = (strings[section] || {})[name];
  if (typeof text !== "string") return [document.createTextNode(key)];
  return text.split(/(\{\w+\})/).map((part) => {
    const k = part.startsWith("{") && part.slice(1, -1);
    const value = k && k in values ? values[k] : part;
    return value instanceof Node ? value : document.createTextNode(String(value));
  });
}

const answerName = (answer) => t(`results.answer_${answer}`);
const POSITION_KEYS = { F: "results.position_for", A: "results.position_against", N: "results.position_abstain" };
const ruleName = (rule) => t(`results.rule_${rule.replace("-", "_")}`);

// `offerContinue` starts the continued deck (quiz.js owns the cards).
export function renderResults(quiz, status, offerContinue) {
  ({ strings, t, list, percent, errorText, safeHref } = quiz.words);
  const rule = $("rule").value || "default";
  let results;
  try {
    results = quiz.engine.results(rule);
  } catch (e) {
    if (e.name !== "CardNotLoaded") status(errorText(e));
    else if (!quiz.failed) status(t("quiz.loading_cards"));
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
  renderScores($("result-list"), results.scores, results, quiz);
  const shownApart = results.apart.filter((s) => s.score !== null);
  $("apart-title").textContent = results.legislature
    ? t("results.apart_in", { legislature: results.legislature })
    : t("results.apart");
  renderScores($("apart-list"), shownApart, results, quiz);
  $("apart").hidden = shownApart.length === 0;
  renderPairs(results, name, quiz.dataLang);
  renderRuleNote(quiz, results, name);
  $("rule").onchange = () => renderResults(quiz, status, offerContinue);

  const here = `${location.href.split("#")[0]}#${results.share}`;
  // A clear verdict is shared as its party's landing (v/PS/), which link
  // previews show as that party; other results as the quiz's own page.
  // The landing opens under the default rule: its verdict picks it.
  const root = quiz.shareBase || new URL(quiz.siteRoot || "./", location.href).href;
  const landing = base.verdict.kind === "leader" && JSON.parse($("results").dataset.landings || "{}")[base.verdict.actors[0]];
  const address = landing
    ? `${new URL(landing, root).href}#${results.share}`
    : quiz.shareBase || $("quiz").dataset.landing !== undefined
      ? `${root}#${results.share}`
      : here;
  const share = $("share-link");
  share.href = address;
  share.dataset.code = results.share;
  share.textContent = address;
  $("share-copy").onclick = () => copyLink(address, status);
  const shown = !$("results").hidden;
  $("results").hidden = false;
  // Focus moves to the results' heading when they appear, not when a rule changes.
  if (!shown) $("results-title").focus();
  status(results.counted === 0 ? t("results.all_skipped") : "");
  // The link in the address bar too, so that a reload or a bookmark keeps it.
  if (location.hash.slice(1) !== results.share) history.replaceState(null, "", here);
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
  // Cards answered so far: a card left unanswered by "show the results now" is still to come.
  const left = results.cap - results.reasons.cards.length;
  const open = results.verdict.kind === "too-close-to-call";
  const who = list(results.verdict.actors.map(name));
  $("continue-text").textContent = open
    ? t("results.continue_open", { names: who, cap: results.cap, left })
    : t("results.continue_more", { cap: results.cap, left });
  $("continue").onclick = offerContinue;
}

function scopeText(results) {
  const parties = results.scores.length;
  const base = results.legislature
    ? t("results.scope_seated", { n: parties, legislature: results.legislature, counted: results.counted })
    : t("results.scope", { counted: results.counted });
  return `${base} ${t("results.bars")}`;
}

// One item per party: acronym and full name, the bar with its interval,
// the score, and its answers opening in place.
function renderScores(target, scores, results, quiz) {
  const dataLang = quiz.dataLang;
  target.replaceChildren();
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
    if (s.fullName && !s.name.startsWith(s.fullName)) {
      const full = span("full-name", s.fullName);
      if (dataLang) full.lang = dataLang;
      label.append(" ", full);
    }
    const bar = span("bar", "");
    bar.setAttribute("role", "img");
    bar.setAttribute(
      "aria-label",
      t("results.bar_label", { name: s.name, score: percent(s.score), low: percent(s.low), high: percent(s.high) }),
    );
    const fill = span("fill", "");
    fill.style.width = cssPercent(s.score);
    const interval = span("interval", "");
    interval.style.left = cssPercent(s.low);
    interval.style.width = cssPercent(s.high - s.low);
    bar.append(fill, interval);
    const details = document.createElement("details");
    details.dataset.testid = "party-answers";
    const summary = document.createElement("summary");
    summary.textContent = t("results.answers", { covered: s.covered, counted: results.counted });
    details.append(summary, answersOf(s, results, quiz));
    item.append(span("rank", `${s.rank}.`), label, bar, span("pct", percent(s.score)), details);
    target.append(item);
  }
}

// The citizen's answer beside the party's vote on every card.
function answersOf(s, results, quiz) {
  const answers = document.createElement("ol");
  answers.className = "answer-list";
  for (const card of results.reasons.cards) {
    const item = document.createElement("li");
    const code = card.positions[s.index];
    const theirs = POSITION_KEYS[code] && t(POSITION_KEYS[code]);
    const link = document.createElement("a");
    const href = safeHref(quiz.siteRoot + card.page);
    if (href) link.href = href;
    link.textContent = card.title || card.id;
    if (quiz.dataLang) link.lang = quiz.dataLang;
    const mine = t("results.you", { answer: answerName(card.answer) }) + (card.important ? t("results.important") : "");
    const party = theirs
      ? t("results.party", { name: s.name, position: theirs })
      : t(code === "D" ? "results.party_split" : "results.party_absent", { name: s.name });
    item.append(link, ` — ${mine}; ${party}.`);
    item.dataset.agree = !theirs || card.answer === "skip" ? "none" : code === codeOf(card.answer) ? "yes" : "no";
    answers.append(item);
  }
  return answers;
}

function codeOf(answer) {
  return { for: "F", against: "A", abstain: "N" }[answer];
}

// The leader against each rival, on the cards where they voted differently.
function renderPairs(results, name, dataLang) {
  const lines = [];
  // A title from the data, quoted, in the data's language.
  const quoted = (card) => {
    const title = span("title", t("meta.quote", { text: card ? card.title : "?" }));
    if (dataLang) title.lang = dataLang;
    return title;
  };
  const cards = results.reasons.cards;
  for (const pair of results.pairs.slice(0, 4)) {
    const differ = pair.leaderBetter + pair.rivalBetter;
    const who = { leader: name(pair.leader), rival: name(pair.rival) };
    const line = differ
      ? t("results.pair_differ", { ...who, n: differ, leader_better: pair.leaderBetter, rival_better: pair.rivalBetter }) +
        t(pair.clear ? "results.pair_clear" : "results.pair_chance")
      : t("results.pair_same", who);
    lines.push([document.createTextNode(line)]);
  }
  const head = results.reasons.headToHead;
  if (head) {
    const deciding = head.cards.filter((d) => d.difference > 0).slice(0, 5);
    if (deciding.length) {
      const titles = document.createElement("span");
      deciding.forEach((d, i) => titles.append(...(i ? [", "] : []), quoted(cards[d.card])));
      lines.push(nodes("results.put_ahead", { leader: name(head.leader), runner_up: name(head.runnerUp), titles }));
    }
  }
  for (const flip of results.reasons.counterfactuals.slice(0, 2)) {
    const card = cards[flip.card];
    lines.push(
      nodes(flip.leaders.length > 1 ? "results.counterfactual_many" : "results.counterfactual_one", {
        answer: answerName(flip.answer),
        title: quoted(card),
        names: list(flip.leaders.map(name)),
      }),
    );
  }
  $("pairs-list").replaceChildren(
    ...lines.map((parts) => {
      const item = document.createElement("li");
      item.append(...parts);
      return item;
    }),
  );
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
  const now = t("results.rule_now", { rule: ruleName(results.rule), names: list(leaders) || t("results.nobody") });
  note.textContent = differing.length
    ? `${now} ${t("results.rule_differs", { rules: list(differing.map(ruleName)) })}`
    : `${now} ${t("results.rule_same")}`;
}

function span(className, text) {
  const element = document.createElement("span");
  element.className = className;
  element.textContent = text;
  return element;
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
      return t("results.leader", { name: first });
    case "alike": {
      const same = verdict.same
        .map((share, i) =>
          share === null
            ? null
            : t("results.alike_share", { first, other: names[i + 1], percent: percent(share), legislature: results.legislature }),
        )
        .filter(Boolean);
      return [t("results.alike", { names: list(names) }), ...same].join(" ");
    }
    case "too-close-to-call":
      if (verdictKind(results) === "tie") {
        const tied = results.scores.filter((s) => s.score !== null && s.rank === 1).map((s) => name(s.actor));
        const rest = names.filter((n) => !tied.includes(n));
        return rest.length
          ? t("results.tie_rest", { names: list(tied), rest: list(rest) })
          : t("results.tie", { names: list(tied) });
      }
      return t("results.too_close", { name: first, rest: list(names.slice(1)) });
    case "none-close":
      return t("results.none_close", { name: first });
    default:
      return t("results.no_coverage");
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
    status(t("results.copied"));
  } catch (e) {
    if (e.name !== "AbortError") status(t("results.copy_failed"));
  }
}
