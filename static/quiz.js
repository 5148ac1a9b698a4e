// The quiz page: draws the page the generator rendered with the WASM quiz
// engine (QuizEngine). Every decision (which cards, what score, the share
// code) is the engine's, the same code `hemiciclo quiz` and `hemiciclo
// explain` run; this file only fetches the bundle and writes the DOM.
import init, { QuizEngine, randomSeed } from "./pkg/hemiciclo_web.js";

const $ = (id) => document.getElementById(id);
const U64_MAX = (1n << 64n) - 1n;

// The page's words, in its language: the JSON block the generator wrote
// from the site's language file (sections meta, quiz, results, errors).
const strings = JSON.parse(($("strings") || {}).textContent || "{}");

// `text` with each {name} replaced by `values.name`; other braces stay.
function fill(text, values) {
  return text.replace(/\{(\w+)\}/g, (whole, k) => (k in values ? String(values[k]) : whole));
}

// The text `key` ("quiz.deck") with each {name} replaced by `values.name`.
function t(key, values = {}) {
  const [section, name] = key.split(".");
  const text = (strings[section] || {})[name];
  return typeof text === "string" ? fill(text, values) : key;
}

// "a, b and c" in the page's language.
function list(names) {
  return names.length > 1 ? `${names.slice(0, -1).join(", ")}${t("meta.and")}${names[names.length - 1]}` : names.join("");
}

// A share from 0 to 1 as a whole percentage, written as the language does.
function percent(x) {
  return t("meta.percent", { n: Math.round(Math.min(Math.max(x, 0), 1) * 100) });
}

// An ISO date (2024-05-03) as the language writes it.
function date(iso) {
  const [year, month, day] = (iso || "").split("-").map(Number);
  const months = (strings.meta || {}).months || [];
  if (!year || !months[month - 1]) return iso || "";
  return t("meta.date", { day, month: months[month - 1], year });
}

// What the citizen reads for an error: the language's text for the
// engine's error name, else the error's own message.
function errorText(e) {
  const text = ((strings.errors || {})[e && e.name]);
  if (typeof text !== "string") return (e && e.message) || String(e);
  return fill(text, e.params || {});
}

// A link from the bundle as an address to use, or null: only a path of
// this site or an http(s) address, never `javascript:` and the like.
function safeHref(link) {
  try {
    const url = new URL(link, location.href);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

// What results.js borrows from this module.
const words = { strings, t, list, percent, date, errorText, safeHref };

function status(text) {
  $("quiz-status").textContent = text;
}

async function fetchText(url) {
  let response;
  try {
    response = await fetch(url);
  } catch {
    throw new Error(t("quiz.no_answer", { url }));
  }
  if (!response.ok) {
    const advice = t(response.status === 404 ? "quiz.advice_reload" : "quiz.advice_later");
    throw new Error(t("quiz.http_error", { url, status: response.status, advice }));
  }
  return response.text();
}

// `?seed=N`, else a seed the module draws from the browser's cryptographic source.
function chosenSeed() {
  const given = new URLSearchParams(location.search).get("seed");
  if (given && /^\d{1,20}$/.test(given) && BigInt(given) <= U64_MAX) return BigInt(given);
  return randomSeed();
}

async function main(root) {
  const bundle = root.dataset.bundle || "data/";
  const quiz = {
    bundle,
    siteRoot: root.dataset.root || "",
    started: false,
    engine: null,
    words,
    dataLang: root.dataset.lang || null,
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
    // The checksum list's text, once asked for (a promise).
    checksums: null,
    continuing: false,
    stopped: false,
    // Where an embed's results link points: the language's home page.
    shareBase: root.dataset.embed === undefined ? null : new URL(root.dataset.root || "./", location.href).href,
    saveKey: `hemiciclo ${new URL(bundle, location.href).pathname}`,
  };
  // The manifest comes inside the page; a site's own template may leave it out.
  const inline = $("bundle-manifest");
  quiz.manifest = inline ? inline.textContent : await fetchText(bundle + "manifest.json");
  const { dataset_id: datasetId, layout_id: layoutId, checksums } = JSON.parse(quiz.manifest);
  quiz.datasetId = datasetId;
  quiz.layoutId = layoutId;
  quiz.checksumsId = checksums;
  $("forget").addEventListener("click", () => forget(quiz, true));

  // A results link: show what it holds, or say why it cannot be read.
  const link = location.hash.slice(1);
  let linkProblem = null;
  if (link) {
    const [results] = await Promise.all([loadResultsModule(), loadResultsView(quiz)]);
    try {
      const engine = results.QuizEngine.fromShare(quiz.manifest, link);
      await checked(quiz, engine);
      quiz.engine = engine;
      quiz.full = true;
    } catch (e) {
      linkProblem = errorText(e);
    }
    if (quiz.engine) {
      quiz.started = true;
      quiz.fromLink = true;
      $("saved").hidden = !saved(quiz);
      wire(quiz);
      quiz.baseLength = quiz.engine.length();
      await Promise.all(quiz.engine.shardsNeeded().map((path) => loadShard(quiz, path)));
      render(quiz);
      keepOffline(quiz);
      return;
    }
  }

  // A quiz in progress in this browser (a reload, Back from a proposal's
  // page): carry on with the very same deck and answers. A finished one
  // lives on in its results link; this address starts a new deck.
  if (!link && (await resume(quiz))) return;

  await init();
  const seed = chosenSeed();
  const params = new URLSearchParams(location.search);
  // `?propostas=ID,ID,...`: a journalist's own deck, in that order. The
  // engine looks the ids up in ids.json and names any that is not a quiz card.
  const proposals = (params.get("propostas") || params.get("proposals") || "")
    .split(",")
    .map((id) => id.trim())
    .filter(Boolean);
  // An error here (unknown ids, no cards in those legislatures, ids.json of
  // another build) carries the engine's message, which main's caller shows.
  // `?cartas=N` (or `?size=N`): a deck of N proposals instead of the site's deck size.
  const askedSize = params.get("cartas") || params.get("size");
  const size = chosenSize(askedSize);
  const legislatures = params.get("legislatura") || params.get("legislature");
  if (proposals.length) {
    const { ids, dataset_id } = JSON.parse(await fetchText(bundle + "ids.json"));
    quiz.engine = QuizEngine.curatedByIds(quiz.manifest, ids, dataset_id, seed, proposals);
  } else if (legislatures !== null) {
    // `?legislatura=XV` (or xiv,xv): a deck of those legislatures only, the
    // names read by the engine as `hemiciclo quiz --legislature` reads them.
    quiz.engine = QuizEngine.inLegislatures(quiz.manifest, seed, legislatures.split(","), size);
  } else {
    quiz.engine = new QuizEngine(quiz.manifest, seed, size);
  }
  wire(quiz);
  quiz.baseLength = quiz.engine.length();
  // The first card's shard enables the start button (here, or on a retry).
  const [first] = quiz.engine.shardsNeeded();
  if (first) await loadShard(quiz, first);
  const drawnFrom = quiz.engine.legislatures();
  const deck = proposals.length
    ? t("quiz.deck_curated", { n: quiz.engine.length() })
    : drawnFrom.length
      ? t("quiz.deck_legislatures", { seed, names: drawnFrom.join(", ") })
      : t("quiz.deck", { seed });
  const ignored = askedSize && size === undefined ? ` ${t("quiz.size_ignored", { max: 64, given: askedSize })}` : "";
  status(linkProblem ? t("quiz.link_problem", { problem: linkProblem }) : deck + ignored);
}

// A deck size from the address: a whole number from 1 to 64 (what a
// results link can hold), else none (the site's own size).
function chosenSize(given) {
  if (!given || !/^\d{1,3}$/.test(given)) return undefined;
  const n = Number(given);
  return n >= 1 && n <= 64 ? n : undefined;
}

// The quiz in progress, kept in this browser's localStorage (never sent
// anywhere) so that a reload or Back carries on. It is kept per site and
// read back only for the same address and the same build of the data.
function save(quiz) {
  const engine = quiz.engine;
  if (!quiz.started || quiz.fromLink || !engine) return;
  const progress = {
    dataset: quiz.datasetId,
    search: location.search,
    seed: String(engine.seed()),
    legislatures: engine.legislatures(),
    curated: Array.from(engine.curatedCards()),
    deck: Array.from(engine.deck()),
    swappedOut: Array.from(engine.swappedOut()),
    answers: engine.answers(),
    baseLength: quiz.baseLength,
    continuing: quiz.continuing,
    stopped: quiz.stopped,
    done: quiz.stopped || (engine.isFinished() && !quiz.continuing),
  };
  try {
    localStorage.setItem(quiz.saveKey, JSON.stringify(progress));
    $("saved").hidden = false;
  } catch {
    // Storage is off or full: the quiz goes on, it just will not resume.
  }
}

function saved(quiz) {
  try {
    const progress = JSON.parse(localStorage.getItem(quiz.saveKey) || "null");
    return progress && progress.dataset === quiz.datasetId && progress.search === location.search ? progress : null;
  } catch {
    return null;
  }
}

// "Forget my answers" (or "play again"): nothing of this quiz stays in the
// browser; `restart` starts a new deck at once.
function forget(quiz, restart) {
  try {
    localStorage.removeItem(quiz.saveKey);
  } catch {
    // Nothing was kept.
  }
  if (restart) location.replace(location.href.split("#")[0]);
}

async function resume(quiz) {
  const progress = saved(quiz);
  if (!progress || progress.done) return false;
  try {
    const { QuizEngine: Full } = await loadResultsModule();
    quiz.engine = Full.resume(
      quiz.manifest,
      BigInt(progress.seed),
      progress.legislatures,
      Uint32Array.from(progress.curated),
      Uint32Array.from(progress.deck),
      Uint32Array.from(progress.swappedOut),
      progress.answers,
    );
  } catch {
    // Kept by an older page or unreadable: a new deck instead.
    forget(quiz, false);
    return false;
  }
  quiz.full = true;
  quiz.started = true;
  quiz.baseLength = progress.baseLength;
  quiz.continuing = progress.continuing;
  quiz.stopped = progress.stopped;
  wire(quiz);
  $("saved").hidden = false;
  status(t("quiz.resumed"));
  prepareResults(quiz);
  loadMissing(quiz);
  render(quiz);
  keepOffline(quiz);
  return true;
}

// Everything the results need, fetched while the citizen reads the first
// cards, so that a connection lost later does not lose the results.
function prepareResults(quiz) {
  loadResultsModule().catch(() => {});
  loadResultsView(quiz).catch(() => {});
  quiz.votes = null;
  loadVotes(quiz).catch(() => {});
  loadChecksums(quiz).catch(() => {});
}

// Hands the results module's engine the bundle's checksum list, once per
// engine: it then takes only the shards and votes of this very build.
async function checked(quiz, engine) {
  if (quiz.checkedEngine === engine) return;
  engine.addChecksums(await loadChecksums(quiz));
  quiz.checkedEngine = engine;
}

// The checksum of every other bundle file, asked by its own checksum (the
// manifest's `checksums`), so no cache hands over another build's list.
// The results module checks each shard and the votes table against it
// and refuses a changed file before it gives a verdict.
function loadChecksums(quiz) {
  if (!quiz.checksums) {
    quiz.checksums = fetchText(`${quiz.bundle}checksums.json?v=${quiz.checksumsId}`);
    quiz.checksums.catch(() => (quiz.checksums = null));
  }
  return quiz.checksums;
}

// The results' code (results.js) and their markup and words (the
// language's results.html), fetched once.
let resultsView = null;
function loadResultsView(quiz) {
  if (!resultsView) {
    const url = new URL(quiz.siteRoot + "results.html", location.href);
    const part = fetchText(url).then((text) => {
      const doc = new DOMParser().parseFromString(text, "text/html");
      // Its stylesheet, addressed from where the part was fetched (an embed is a folder deeper).
      for (const link of doc.querySelectorAll("link[href]")) {
        link.href = new URL(link.getAttribute("href"), url).href;
        document.head.append(link);
      }
      for (const [section, words] of Object.entries(JSON.parse(doc.getElementById("results-strings").textContent))) {
        strings[section] = { ...strings[section], ...words };
      }
      $("saved").before(doc.getElementById("results"));
      $("again").addEventListener("click", () => forget(quiz, false));
    });
    resultsView = Promise.all([import("./results.js"), part]).then(([code]) => code);
    resultsView.catch(() => (resultsView = null));
  }
  return resultsView;
}

// After one visit the quiz works offline: the service worker keeps this
// build's pages, modules and bundle (sw.js). Registered once the quiz is
// under way, so that neither delays the first question.
function keepOffline(quiz) {
  const worker = $("quiz").dataset.sw;
  if (!worker || !("serviceWorker" in navigator) || quiz.offline) return;
  quiz.offline = true;
  // The web manifest too (install as an app): browsers fetch it, and its
  // icon, as soon as the page names it.
  const manifest = document.createElement("link");
  manifest.rel = "manifest";
  manifest.href = quiz.siteRoot + "app.webmanifest";
  document.head.append(manifest);
  // `data-offline` says how it went: "ready", or "failed" (the site
  // changed while its files were fetched; the next visit tries again).
  navigator.serviceWorker
    .register(worker)
    .then((registration) => {
      const installing = registration.installing;
      installing?.addEventListener("statechange", () => {
        if (installing.state === "redundant" && !registration.active) $("quiz").dataset.offline = "failed";
      });
      return navigator.serviceWorker.ready;
    })
    .then(() => ($("quiz").dataset.offline = "ready"))
    .catch(() => {});
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
  status(t("quiz.computing"));
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
    await checked(quiz, full);
    for (const text of quiz.shards.values()) full.addShard(text);
    quiz.engine = full;
    quiz.full = true;
    status("");
  } catch (e) {
    // A changed file says itself what to do; anything else is likely the connection.
    status(e && e.name === "BundleTampered" ? errorText(e) : t("quiz.results_failed", { error: errorText(e) }));
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
    // The checksum list's own checksum in the query: it changes whenever
    // any shard does, so no cache hands over another build's shard.
    const text = await fetchText(`${quiz.bundle}${path}?v=${quiz.checksumsId}`);
    if (quiz.full) await checked(quiz, quiz.engine);
    quiz.engine.addShard(text);
    quiz.shards.set(path, text);
    quiz.failed = null;
    if (!$("retry").hidden) status("");
    $("retry").hidden = true;
    $("start").disabled = false;
  } catch (e) {
    quiz.failed = errorText(e);
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
    loadShard(quiz, path).catch((e) => status(errorText(e)));
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
  return quiz.votes.then(async (text) => {
    if (!quiz.full || !quiz.engine.votesNeeded()) return;
    await checked(quiz, quiz.engine);
    quiz.engine.addVotes(text);
  });
}

// The citizen asked to go on: more cards, each chosen to separate the
// parties still too close, until the answer is clear or the cap is reached.
function continueDeck(quiz) {
  quiz.continuing = true;
  quiz.stopped = false;
  $("results").hidden = true;
  save(quiz);
  render(quiz);
}

function wire(quiz) {
  $("start").addEventListener("click", () => {
    quiz.started = true;
    render(quiz);
    loadMissing(quiz);
    // What the results and continuing need, while the citizen reads.
    prepareResults(quiz);
    keepOffline(quiz);
  });
  $("stop").addEventListener("click", () => {
    quiz.stopped = true;
    save(quiz);
    render(quiz);
  });
  $("retry").addEventListener("click", () => {
    status(t("quiz.retrying"));
    loadMissing(quiz);
  });
  $("answers").addEventListener("click", (event) => {
    const button = event.target.closest("[data-answer]");
    if (button) answerWith(quiz, button.dataset.answer);
  });
  // Keys 1 to 4 answer (documented on the card); not while typing or
  // choosing in a form field, nor with a modifier (browser shortcuts).
  document.addEventListener("keydown", (event) => {
    const answer = KEYS[event.key];
    if (!answer || event.ctrlKey || event.metaKey || event.altKey || event.target.closest("input, select, textarea")) return;
    if (answerWith(quiz, answer)) event.preventDefault();
  });
  swipe(quiz);
  $("swap").addEventListener("click", () => {
    try {
      quiz.engine.swap();
    } catch (e) {
      status(errorText(e));
      return;
    }
    $("important").checked = false;
    save(quiz);
    render(quiz);
    loadMissing(quiz);
  });
}

const KEYS = { 1: "for", 2: "against", 3: "abstain", 4: "skip" };

// Answers the card on screen; false when there is none to answer.
function answerWith(quiz, answer) {
  const card = $("card");
  if (card.hidden || card.dataset.state !== "ready") return false;
  const important = $("important");
  quiz.engine.answer(answer, important.checked);
  important.checked = false;
  save(quiz);
  render(quiz);
  return true;
}

// On a touch screen, a card swiped right answers "for", left "against".
// The card follows the finger (unless the reader asked for less motion);
// a short or mostly vertical move is a scroll or a tap, not an answer.
function swipe(quiz) {
  const card = $("card");
  const still = matchMedia("(prefers-reduced-motion: reduce)");
  let start = null;
  const reset = () => {
    start = null;
    card.style.transform = "";
  };
  card.addEventListener("pointerdown", (event) => {
    if (event.pointerType !== "touch" || event.target.closest("a, button, input, label, select")) return;
    start = { x: event.clientX, y: event.clientY };
  });
  card.addEventListener("pointermove", (event) => {
    if (!start || still.matches) return;
    card.style.transform = `translateX(${(event.clientX - start.x) / 2}px)`;
  });
  card.addEventListener("pointercancel", reset);
  card.addEventListener("pointerup", (event) => {
    if (!start) return;
    const dx = event.clientX - start.x;
    const dy = event.clientY - start.y;
    reset();
    if (Math.abs(dx) >= 80 && Math.abs(dx) > 2 * Math.abs(dy)) answerWith(quiz, dx > 0 ? "for" : "against");
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
    status(t("quiz.loading_cards"));
    return false;
  }
  if (!more) {
    quiz.continuing = false;
    save(quiz);
    return true;
  }
  if (engine.votesNeeded()) {
    status(t("quiz.choosing"));
    loadVotes(quiz).then(
      () => render(quiz),
      (e) => {
        // Back to the results, whose offer to continue tries again.
        quiz.continuing = false;
        status(errorText(e));
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
    quiz.contenders = verdict.kind === "too-close-to-call" && hardest ? list([hardest.leader, hardest.rival]) : null;
    engine.continueDeck();
    save(quiz);
  } catch (e) {
    quiz.continuing = false;
    status(errorText(e));
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
    loadResultsView(quiz).then(
      (results) => results.renderResults(quiz, status, () => continueDeck(quiz)),
      () => status(t("quiz.results_unavailable")),
    );
    return;
  }
  card.hidden = false;
  const position = engine.position() + 1;
  card.dataset.cardIndex = position;
  const continued = quiz.continuing && engine.position() >= quiz.baseLength;
  $("card-progress").textContent = continued
    ? t("quiz.progress_continued", { n: position, cap: engine.cap() })
    : t("quiz.progress", { n: position, total: engine.length() });
  $("continuing").hidden = !continued;
  $("continuing-text").textContent = t("quiz.continuing", { who: quiz.contenders || t("quiz.closest") });
  $("swap").textContent = t("quiz.swap", { n: engine.swapsLeft() });
  $("swap").disabled = engine.swapsLeft() === 0;
  const current = engine.current();
  if (!current) {
    card.dataset.state = "loading";
    delete card.dataset.proposalId;
    $("card-title").textContent = t("quiz.loading");
    $("card-title").removeAttribute("lang");
    $("card-kind").textContent = "";
    $("card-date").textContent = "";
    $("card-summary").hidden = true;
    $("card-link").hidden = true;
    return;
  }
  $("card-link").hidden = false;
  card.dataset.proposalId = current.id;
  $("card-title").textContent = current.title;
  // The editors' plain-language summary, when they wrote one.
  $("card-summary").textContent = current.summary || "";
  $("card-summary").hidden = !current.summary;
  // Text from the data is in the data's language, which may not be the
  // page's; the site may name the data's kinds in the page's.
  const kind = (strings.kinds || {})[current.kind];
  $("card-kind").textContent = [kind || current.kind, current.legislature].filter(Boolean).join(" · ");
  if (quiz.dataLang) {
    $("card-title").lang = quiz.dataLang;
    $("card-summary").lang = quiz.dataLang;
    if (kind) $("card-kind").removeAttribute("lang");
    else $("card-kind").lang = quiz.dataLang;
  }
  $("card-date").textContent = date(current.date);
  const href = safeHref(quiz.siteRoot + current.page);
  if (href) $("card-link").href = href;
  else $("card-link").removeAttribute("href");
  card.dataset.state = "ready";
  // Keyboard and screen-reader users land on each new card's title, which
  // is read out; once per card, not on every redraw.
  if (quiz.focusedCard !== position) {
    quiz.focusedCard = position;
    $("card-title").focus();
  }
}

// Runs last: everything above is defined by then.
const page = $("quiz");
if (page) {
  main(page).catch((e) => status(errorText(e)));
  // A results link pasted into this tab changes only the fragment: read it afresh.
  addEventListener("hashchange", () => location.reload());
}
