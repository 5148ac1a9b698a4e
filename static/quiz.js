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
  // A results link pasted into this tab changes only the fragment: read it afresh.
  addEventListener("hashchange", () => location.reload());
}

function status(text) {
  $("quiz-status").textContent = text;
}

async function fetchText(url) {
  let response;
  try {
    response = await fetch(url);
  } catch {
    throw new Error(`Não foi possível carregar ${url} (sem resposta). Verifique a ligação.`);
  }
  if (!response.ok) {
    const advice =
      response.status === 404 ? "O site pode ter sido atualizado: recarregue a página." : "Tente de novo daqui a pouco.";
    throw new Error(`Não foi possível carregar ${url} (HTTP ${response.status}). ${advice}`);
  }
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
  const bundle = root.dataset.bundle || "data/";
  const quiz = {
    bundle,
    siteRoot: root.dataset.root || "",
    started: false,
    engine: null,
    // Whether `engine` is the results module's (it scores and continues);
    // the deck module's asks the first cards only.
    full: false,
    // Shard texts by path, handed again to the results module's engine.
    shards: new Map(),
    // Shard paths being fetched, and the last fetch's failure (until a retry works).
    pending: new Set(),
    failed: null,
    // The votes table's text, once fetched; whether the citizen chose to
    // continue the deck; whether they asked for the results mid-way.
    votes: null,
    continuing: false,
    stopped: false,
  };
  quiz.manifest = await fetchText(bundle + "manifest.json");

  // A results link: show what it holds, or say why it cannot be read.
  const link = location.hash.slice(1);
  let linkProblem = null;
  if (link) {
    const results = await loadResultsModule();
    try {
      quiz.engine = results.QuizEngine.fromShare(quiz.manifest, link);
      quiz.full = true;
    } catch (e) {
      linkProblem = e.message;
    }
    if (quiz.engine) {
      quiz.started = true;
      quiz.fromLink = true;
      wire(quiz);
      quiz.baseLength = quiz.engine.length();
      await Promise.all(quiz.engine.shardsNeeded().map((path) => loadShard(quiz, path)));
      render(quiz);
      return;
    }
  }

  await init();
  const seed = chosenSeed();
  const params = new URLSearchParams(location.search);
  // `?propostas=ID,ID,...`: a journalist's own deck, in that order. The
  // engine looks the ids up in ids.json and names any that is not a quiz card.
  const proposals = (params.get("propostas") || "")
    .split(",")
    .map((id) => id.trim())
    .filter(Boolean);
  // An error here (unknown ids, no cards in those legislatures, ids.json of
  // another build) carries the engine's message, which main's caller shows.
  if (proposals.length) {
    const { ids, dataset_id } = JSON.parse(await fetchText(bundle + "ids.json"));
    quiz.engine = QuizEngine.curatedByIds(quiz.manifest, ids, dataset_id, seed, proposals);
  } else if (params.has("legislatura")) {
    // `?legislatura=XV` (or xiv,xv): a deck of those legislatures only, the
    // names read by the engine as `hemiciclo quiz --legislature` reads them.
    quiz.engine = QuizEngine.inLegislatures(quiz.manifest, seed, params.get("legislatura").split(","));
  } else {
    quiz.engine = new QuizEngine(quiz.manifest, seed);
  }
  wire(quiz);
  quiz.baseLength = quiz.engine.length();
  // The first card's shard enables the start button (here, or on a retry).
  const [first] = quiz.engine.shardsNeeded();
  if (first) await loadShard(quiz, first);
  const legislatures = quiz.engine.legislatures();
  const deck = proposals.length
    ? `Baralho de ${quiz.engine.length()} propostas escolhidas`
    : legislatures.length
      ? `Baralho n.º ${seed} · legislatura ${legislatures.join(", ")}`
      : `Baralho n.º ${seed}`;
  status(linkProblem ? `${linkProblem} Pode começar um questionário novo.` : deck);
}

// The results module (scores, verdict, share link, continuing), fetched
// once: after the first card is on screen, or at once for a results link.
let resultsModule = null;
function loadResultsModule() {
  if (!resultsModule) {
    resultsModule = import("./pkg/hemiciclo_results.js").then(async (module) => {
      await module.default();
      return module;
    });
    resultsModule.catch(() => (resultsModule = null));
  }
  return resultsModule;
}

// The deck is done: the results module's engine takes it over, with the
// shards and the votes fetched so far.
async function takeOver(quiz) {
  if (quiz.takingOver) return;
  quiz.takingOver = true;
  status("A calcular os resultados…");
  try {
    const { QuizEngine: Full } = await loadResultsModule();
    const deck = quiz.engine;
    const full = Full.resume(
      quiz.manifest,
      deck.seed(),
      deck.legislatures(),
      deck.curatedCards(),
      deck.deck(),
      deck.swappedOut(),
      deck.answers(),
    );
    for (const text of quiz.shards.values()) full.addShard(text);
    quiz.engine = full;
    quiz.full = true;
    status("");
  } catch (e) {
    status(`Não foi possível carregar os resultados (${e.message}). Verifique a ligação e recarregue a página.`);
    return;
  } finally {
    quiz.takingOver = false;
  }
  render(quiz);
}

// Fetches one shard (once, however often it is asked for) and redraws.
async function loadShard(quiz, path) {
  if (quiz.pending.has(path) || quiz.shards.has(path)) return;
  quiz.pending.add(path);
  try {
    const text = await fetchText(quiz.bundle + path);
    quiz.engine.addShard(text);
    quiz.shards.set(path, text);
    quiz.failed = null;
    if (!$("retry").hidden) status("");
    $("retry").hidden = true;
    $("start").disabled = false;
  } catch (e) {
    quiz.failed = e.message;
    $("retry").hidden = false;
    throw e;
  } finally {
    quiz.pending.delete(path);
  }
  if (quiz.started) render(quiz);
}

// Fetches the shards the deck still lacks while the citizen reads.
function loadMissing(quiz) {
  for (const path of quiz.engine.shardsNeeded()) {
    loadShard(quiz, path).catch((e) => status(e.message));
  }
}

// Fetches the table of every card's votes, which continuing the deck
// needs (once, after the first card is on screen), and hands it to the
// results module's engine.
function loadVotes(quiz) {
  if (!quiz.votes) {
    quiz.votes = fetchText(quiz.bundle + "votes.json");
    quiz.votes.catch(() => (quiz.votes = null));
  }
  return quiz.votes.then((text) => {
    if (quiz.full && quiz.engine.votesNeeded()) quiz.engine.addVotes(text);
  });
}

// The citizen asked to go on: more cards, each chosen to separate the
// parties still too close, until the answer is clear or the cap is reached.
function continueDeck(quiz) {
  quiz.continuing = true;
  quiz.stopped = false;
  $("results").hidden = true;
  render(quiz);
}

function wire(quiz) {
  $("start").addEventListener("click", () => {
    quiz.started = true;
    render(quiz);
    loadMissing(quiz);
    // What the results and continuing need, while the citizen reads.
    loadResultsModule().catch(() => {});
    quiz.votes = null;
    loadVotes(quiz).catch(() => {});
  });
  $("stop").addEventListener("click", () => {
    quiz.stopped = true;
    render(quiz);
  });
  $("retry").addEventListener("click", () => {
    status("A tentar de novo…");
    loadMissing(quiz);
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
    $("important").checked = false;
    render(quiz);
    loadMissing(quiz);
  });
}

// While continuing: adds the next card when the answer is still unclear.
// False when the page must wait (a card or the votes still loading) and
// will render again by itself.
function continueIfUnclear(quiz) {
  const engine = quiz.engine;
  let more;
  try {
    more = engine.canContinue();
  } catch (e) {
    if (e.name !== "CardNotLoaded") throw e;
    status("A carregar as propostas…");
    return false;
  }
  if (!more) {
    quiz.continuing = false;
    return true;
  }
  if (engine.votesNeeded()) {
    status("A escolher a próxima proposta…");
    loadVotes(quiz).then(
      () => render(quiz),
      (e) => {
        // Back to the results, whose offer to continue tries again.
        quiz.continuing = false;
        status(e.message);
        render(quiz);
      },
    );
    return false;
  }
  try {
    // The engine aims the next card at the leader and the open rival it is
    // furthest from being clear of: the pair named on the card.
    const { verdict, pairs, scores } = engine.results("default");
    const place = new Map(scores.map((s) => [s.actor, s.index]));
    const harder = (a, b) => b.chance > a.chance || (b.chance === a.chance && place.get(b.rival) < place.get(a.rival));
    const open = pairs.filter((p) => verdict.actors.includes(p.rival));
    const hardest = open.reduce((a, b) => (harder(a, b) ? b : a), open[0]);
    quiz.contenders =
      verdict.kind === "too-close-to-call" && hardest ? `${hardest.leader} e ${hardest.rival}` : null;
    engine.continueDeck();
  } catch (e) {
    quiz.continuing = false;
    status(e.message);
    return true;
  }
  status("");
  loadMissing(quiz);
  return true;
}

// Shows the current card, or the results once the deck is done.
function render(quiz) {
  const engine = quiz.engine;
  // The intro has done its job; on a phone the card must fill the screen.
  $("intro").hidden = true;
  const card = $("card");
  if (engine.isFinished() && !quiz.full) {
    card.hidden = true;
    takeOver(quiz);
    return;
  }
  if (engine.isFinished() && quiz.continuing && !continueIfUnclear(quiz)) return;
  if (engine.isFinished() || quiz.stopped) {
    card.hidden = true;
    // The results' code is fetched only now: it is not needed before the first question.
    import("./results.js").then(
      (results) => results.renderResults(quiz, status, () => continueDeck(quiz)),
      () => status("Não foi possível carregar os resultados. Verifique a ligação e recarregue a página."),
    );
    return;
  }
  card.hidden = false;
  const position = engine.position() + 1;
  card.dataset.cardIndex = position;
  const continued = quiz.continuing && engine.position() >= quiz.baseLength;
  $("card-progress").textContent = continued
    ? `${position} de até ${engine.cap()}`
    : `${position} de ${engine.length()}`;
  $("continuing").hidden = !continued;
  $("continuing-who").textContent = quiz.contenders || "os partidos mais próximos";
  $("swaps-left").textContent = engine.swapsLeft();
  $("swap").disabled = engine.swapsLeft() === 0;
  const current = engine.current();
  if (!current) {
    card.dataset.state = "loading";
    delete card.dataset.proposalId;
    $("card-title").textContent = "A carregar…";
    $("card-kind").textContent = "";
    $("card-date").textContent = "";
    $("card-link").hidden = true;
    return;
  }
  $("card-link").hidden = false;
  card.dataset.proposalId = current.id;
  $("card-title").textContent = current.title;
  $("card-kind").textContent = `${current.kind} · ${current.legislature}`;
  $("card-date").textContent = current.date;
  $("card-link").href = quiz.siteRoot + current.page;
  card.dataset.state = "ready";
}

