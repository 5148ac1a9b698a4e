// The quiz's results: scores with their intervals, the verdict, the
// reasons and the share link, drawn from what QuizEngine.results() gives.
// A module of its own so that the page loads it only once a deck is done.

const $ = (id) => document.getElementById(id);

// Ten-thousandths as the engine's command line prints them: "0.6250".
function tenThousandths(x) {
  const n = Math.round(Math.min(Math.max(x, 0), 1) * 10000);
  return `${Math.floor(n / 10000)}.${String(n % 10000).padStart(4, "0")}`;
}

function percent(x) {
  return `${Math.round(Math.min(Math.max(x, 0), 1) * 100)}%`;
}

export function renderResults(quiz, status) {
  let results;
  try {
    results = quiz.engine.results("default");
  } catch (e) {
    if (e.name !== "CardNotLoaded") status(e.message);
    else if (!quiz.failed) status("A carregar as propostas…");
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
  $("share-copy").onclick = () => copyLink(address, status);
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
      `Se tivesse respondido ${ANSWERS[flip.answer]} a ${title(flip.card)}, ${flip.leaders.map(name).join(" e ")} ${flip.leaders.length > 1 ? "ficariam" : "ficaria"} à frente.`,
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
