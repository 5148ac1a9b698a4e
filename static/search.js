// The search page: Pagefind's module (in pagefind/, built with the site)
// loaded when the reader turns to the field, results as they type. Nothing is
// asked of a server but the index's own files, which the service worker
// keeps for use offline. `?q=` in the address holds the query, so a search
// can be linked to and survives Back.
const form = document.getElementById("search");
const input = document.getElementById("q");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const more = document.getElementById("search-more");
const words = form.dataset;
const root = new URL(words.root, location.href);
const PAGE = 20;

let pagefind = null;
// The results not yet shown, and which search they belong to: a newer
// search's results never mix with an older one's.
let shown = [];
let generation = 0;

function fill(text, values) {
  return text.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? values[key] : whole));
}

function load() {
  keepOffline();
  const index = new URL(words.index, location.href);
  pagefind ??= import(new URL("pagefind.js", index).href).then(async (module) => {
    await module.options({ excerptLength: 0 });
    module.init();
    // A large site's index is in parts (pagefind/1/, pagefind/2/, ...),
    // merged into the first: a search searches them all and orders all
    // their results by score.
    const parts = Array.from({ length: Number(words.parts ?? 1) - 1 }, (_, i) => new URL(`${i + 1}/`, index).href);
    try {
      await Promise.all(parts.map((part) => module.mergeIndex(part, { excerptLength: 0 })));
    } catch (error) {
      // Not half an index: the next load starts again from nothing.
      await module.destroy();
      throw error;
    }
    return module;
  });
  // A failed load (offline on the first visit) is tried again next time.
  pagefind.catch(() => (pagefind = null));
  return pagefind;
}

// The proposal's page in this language's tree; only the index's own
// relative addresses are followed.
function href(url) {
  return /^[\w~%-]+(\/[\w~%-]+)*\/$/.test(url) ? new URL(url, root).href : null;
}

function item(data) {
  const li = document.createElement("li");
  const link = href(data.raw_url ?? "");
  const title = document.createElement(link ? "a" : "span");
  if (link) title.href = link;
  title.textContent = data.meta.title ?? data.raw_url;
  const meta = document.createElement("span");
  meta.className = "meta";
  const date = data.meta.date ? new Date(`${data.meta.date}T12:00:00Z`) : null;
  meta.textContent = [data.meta.heading, date?.toLocaleDateString(document.documentElement.lang, { dateStyle: "long" })]
    .filter(Boolean)
    .join(" · ");
  if (words.dataLang) {
    title.lang = words.dataLang;
    meta.lang = words.dataLang;
  }
  li.append(title, " ", meta);
  return li;
}

async function showMore() {
  const mine = generation;
  const next = shown.splice(0, PAGE);
  more.disabled = true;
  let data;
  try {
    data = await Promise.all(next.map((result) => result.data()));
  } catch (error) {
    if (mine === generation) status.textContent = words.failed;
    return;
  } finally {
    more.disabled = false;
  }
  if (mine !== generation) return;
  list.append(...data.map(item));
  more.hidden = shown.length === 0;
}

async function search() {
  const mine = ++generation;
  // The previous search's results are no longer to be shown.
  shown = [];
  more.hidden = true;
  const query = input.value.trim();
  const address = new URL(location.href);
  if (query) address.searchParams.set("q", query);
  else address.searchParams.delete("q");
  history.replaceState(null, "", address);
  if (!query) {
    list.replaceChildren();
    status.textContent = "";
    more.hidden = true;
    return;
  }
  status.textContent = words.loading;
  let found;
  try {
    found = await (await load()).debouncedSearch(query, {}, 200);
  } catch (error) {
    if (mine === generation) status.textContent = words.failed;
    return;
  }
  // A newer keystroke's search replaces this one.
  if (found === null || mine !== generation) return;
  list.replaceChildren();
  shown = found.results.slice();
  const values = { n: found.results.length.toLocaleString(document.documentElement.lang), q: query };
  status.textContent = fill(found.results.length ? words.found : words.none, values);
  await showMore();
}

// Once the reader turns to the search, the service worker keeps it (and
// the quiz) for use offline, as the quiz does once started: the page, the
// search's module and, as searches load them, the index's chunks.
function keepOffline() {
  if (!words.sw || !("serviceWorker" in navigator)) return;
  navigator.serviceWorker.register(new URL(words.sw, location.href)).catch(() => {});
  words.sw = "";
}

form.addEventListener("submit", (event) => event.preventDefault());
input.addEventListener("input", search);
input.addEventListener("focus", load, { once: true });
more.addEventListener("click", showMore);

const initial = new URL(location.href).searchParams.get("q");
if (initial) {
  input.value = initial;
  search();
}
