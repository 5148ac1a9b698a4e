// The quiz page: draws the page the generator rendered with the WASM quiz
// engine (QuizEngine). Every decision (which cards, what score, the share
// code) is the engine's, the same code `hemiciclo quiz` and `hemiciclo
// explain` run; this file only fetches the bundle and writes the DOM.
import init, { QuizEngine } from "./pkg/hemiciclo_web.js";

const $ = (id) => document.getElementById(id);
const U64_MAX = (1n << 64n) - 1n;

const page = $("quiz");
if (page) {
  main(page).catch((e) => status(e.message || String(e)));
}

function status(text) {
  $("quiz-status").textContent = text;
}

async function fetchText(url) {
  const failed = (detail) =>
    new Error(`Não foi possível carregar ${url} (${detail}). Verifique a ligação e recarregue a página.`);
  let response;
  try {
    response = await fetch(url);
  } catch {
    throw failed("sem resposta");
  }
  if (!response.ok) throw failed(`HTTP ${response.status}`);
  return response.text();
}

// A seed from the browser's cryptographic random source, or `?seed=N`.
function chosenSeed() {
  const given = new URLSearchParams(location.search).get("seed");
  if (given && /^\d{1,20}$/.test(given) && BigInt(given) <= U64_MAX) return BigInt(given);
  const words = new BigUint64Array(1);
  crypto.getRandomValues(words);
  return words[0];
}

async function main(root) {
  await init();
  const bundle = root.dataset.bundle || "data/";
  const quiz = {
    bundle,
    siteRoot: root.dataset.root || "",
    started: false,
    engine: null,
  };
  const manifest = await fetchText(bundle + "manifest.json");

  // A results link: show what it holds, or say why it cannot be read.
  const link = location.hash.slice(1);
  let linkProblem = null;
  if (link) {
    try {
      quiz.engine = QuizEngine.fromShare(manifest, link);
    } catch (e) {
      linkProblem = e.message;
    }
    if (quiz.engine) {
      quiz.started = true;
      await Promise.all(quiz.engine.shardsNeeded().map((path) => loadShard(quiz, path)));
      wire(quiz, []);
      render(quiz);
      return;
    }
  }

  const seed = chosenSeed();
  // `?legislatura=XV` (or XIV,XV): a deck of those legislatures only.
  const legislatures = (new URLSearchParams(location.search).get("legislatura") || "")
    .split(",")
    .filter(Boolean);
  try {
    quiz.engine = legislatures.length
      ? QuizEngine.inLegislatures(manifest, seed, legislatures)
      : new QuizEngine(manifest, seed);
  } catch (e) {
    if (e.name !== "NoCards") throw e;
    status(`Não há propostas da legislatura ${legislatures.join(", ")} neste site.`);
    return;
  }
  const [first, ...rest] = quiz.engine.shardsNeeded();
  if (first) await loadShard(quiz, first);
  wire(quiz, rest);
  $("start").disabled = false;
  status(linkProblem ? `${linkProblem} Pode começar um questionário novo.` : `Baralho n.º ${seed}`);
}

async function loadShard(quiz, path) {
  quiz.engine.addShard(await fetchText(quiz.bundle + path));
  if (quiz.started) render(quiz);
}

// Fetches shards while the citizen reads; the page is redrawn as each arrives.
function loadInBackground(quiz, paths) {
  for (const path of paths) {
    loadShard(quiz, path).catch((e) => status(e.message));
  }
}

function wire(quiz, rest) {
  $("start").addEventListener("click", () => {
    quiz.started = true;
    render(quiz);
    loadInBackground(quiz, rest.splice(0));
  });
  $("answers").addEventListener("click", (event) => {
    const button = event.target.closest("[data-answer]");
    if (!button || $("card").dataset.state !== "ready") return;
    const important = $("important");
    quiz.engine.answer(button.dataset.answer, important.checked);
    important.checked = false;
    render(quiz);
  });
  $("swap").addEventListener("click", () => {
    try {
      quiz.engine.swap();
    } catch (e) {
      status(e.message);
      return;
    }
    render(quiz);
    loadInBackground(quiz, quiz.engine.shardsNeeded());
  });
}

// Shows the current card, or the results once the deck is done.
function render(quiz) {
  const engine = quiz.engine;
  // The intro has done its job; on a phone the card must fill the screen.
  $("intro").hidden = true;
  const card = $("card");
  if (engine.isFinished()) {
    card.hidden = true;
    renderResults(engine);
    return;
  }
  card.hidden = false;
  const position = engine.position() + 1;
  card.dataset.cardIndex = position;
  $("card-progress").textContent = `${position} de ${engine.length()}`;
  $("swaps-left").textContent = engine.swapsLeft();
  $("swap").disabled = engine.swapsLeft() === 0;
  const current = engine.current();
  if (!current) {
    card.dataset.state = "loading";
    delete card.dataset.proposalId;
    $("card-title").textContent = "A carregar…";
    return;
  }
  card.dataset.proposalId = current.id;
  $("card-title").textContent = current.title;
  $("card-kind").textContent = `${current.kind} · ${current.legislature}`;
  $("card-date").textContent = current.date;
  $("card-link").href = quiz.siteRoot + current.page;
  card.dataset.state = "ready";
}

// Ten-thousandths as the engine's command line prints them: "0.6250".
function tenThousandths(x) {
  const n = Math.round(Math.min(Math.max(x, 0), 1) * 10000);
  return `${Math.floor(n / 10000)}.${String(n % 10000).padStart(4, "0")}`;
}

function percent(x) {
  return `${Math.round(Math.min(Math.max(x, 0), 1) * 100)}%`;
}

function renderResults(engine) {
  let results;
  try {
    results = engine.results("default");
  } catch (e) {
    status(e.name === "CardNotLoaded" ? "A carregar as propostas…" : e.message);
    return;
  }
  const list = $("result-list");
  list.replaceChildren();
  const names = new Map(results.scores.map((s) => [s.actor, s.name]));
  for (const s of results.scores) {
    if (s.score === null) continue;
    const item = document.createElement("li");
    item.dataset.testid = "party-score";
    item.dataset.actor = s.actor;
    item.dataset.score = tenThousandths(s.score);
    item.dataset.low = tenThousandths(s.low);
    item.dataset.high = tenThousandths(s.high);
    item.dataset.covered = s.covered;
    const meter = document.createElement("meter");
    meter.min = 0;
    meter.max = 1;
    meter.value = s.score;
    meter.setAttribute("aria-label", `${s.name}: ${percent(s.score)}`);
    item.append(
      span("rank", `${s.rank}.`),
      span("name", s.name),
      meter,
      span("pct", percent(s.score)),
      span(
        "coverage",
        `entre ${percent(s.low)} e ${percent(s.high)} (margem de 95%) · votou em ${s.covered} das ${results.counted} propostas a que respondeu`,
      ),
    );
    list.append(item);
  }
  const verdict = $("verdict");
  verdict.dataset.verdict = results.verdict.kind;
  verdict.textContent = verdictText(results.verdict, (id) => names.get(id) || id);
  renderReasons(results, (id) => names.get(id) || id);
  const address = `${location.href.split("#")[0]}#${results.share}`;
  const share = $("share-link");
  share.href = address;
  share.dataset.code = results.share;
  share.textContent = address;
  $("results").hidden = false;
  status(results.counted === 0 ? "Saltou todas as propostas: não há com que comparar." : "");
}

const ANSWERS = { for: "a favor", against: "contra", abstain: "abstenção", skip: "saltou" };
const POSITIONS = { F: "a favor", A: "contra", N: "abstenção", X: "ausente", ".": "—" };

// Why: each card beside the closest parties, what separated the first two,
// and which answers would have changed the leader.
function renderReasons(results, name) {
  const { cards, headToHead, counterfactuals } = results.reasons;
  const title = (place) => `«${cards[place] ? cards[place].title : "?"}»`;
  const closest = results.scores.filter((s) => s.score !== null).slice(0, 3);
  const lines = cards.map((card) => {
    const parties = closest.map((s) => `${s.name}: ${POSITIONS[card.positions[s.index]] || "—"}`);
    return `«${card.title}» — você: ${ANSWERS[card.answer]}${card.important ? " (importante)" : ""}; ${parties.join("; ")}`;
  });
  if (headToHead) {
    const deciding = headToHead.cards.filter((d) => d.difference > 0).map((d) => title(d.card));
    lines.push(
      deciding.length
        ? `Entre ${name(headToHead.leader)} e ${name(headToHead.runnerUp)} decidiram: ${deciding.join(", ")}.`
        : `${name(headToHead.leader)} e ${name(headToHead.runnerUp)} votaram igual sempre que ambos votaram; separa-os o que só um deles votou.`,
    );
  }
  for (const flip of counterfactuals.slice(0, 3)) {
    lines.push(
      `Se tivesse respondido ${ANSWERS[flip.answer]} a ${title(flip.card)}, ${flip.leaders.map(name).join(" e ")} ficaria à frente.`,
    );
  }
  const list = $("reasons-list");
  list.replaceChildren(...lines.map((line) => Object.assign(document.createElement("li"), { textContent: line })));
  $("reasons").hidden = lines.length === 0;
}

function span(className, text) {
  const element = document.createElement("span");
  element.className = className;
  element.textContent = text;
  return element;
}

function verdictText(verdict, name) {
  const [first, ...others] = verdict.actors.map(name);
  const some = others.length > 3 ? `${others.slice(0, 3).join(", ")} e mais ${others.length - 3}` : others.join(", ");
  switch (verdict.kind) {
    case "leader":
      return `${first} votou mais como você, com margem sobre todos os outros.`;
    case "tie":
      return `Empate entre ${[first, ...others].join(", ")}.`;
    case "too-close-to-call":
      return `Demasiado perto para dizer: ${first} está à frente, mas a margem de ${some} sobrepõe-se. Responda a mais propostas para separar.`;
    case "none-close":
      return `Nenhum partido está perto de si: o mais próximo, ${first}, concorda consigo em menos de metade.`;
    default:
      return "Nenhum partido votou nas propostas a que respondeu.";
  }
}
