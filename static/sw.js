// The service worker: keeps this build's quiz (its pages, scripts,
// modules and the whole bundle) so that after one visit the quiz and its
// results work with no network. `hemiciclo build` writes in the files to
// keep, each with the start of its SHA-256, and the build's version.
//
// A new build is a new version: it is fetched whole and checked file by
// file beside the old one, and takes over only once no page of the old
// one is open, so a page never mixes two builds' files.
const FILES = /*FILES*/[];
const VERSION = /*VERSION*/"";
// Caches belong to the origin, which several sites may share (GitHub
// project pages): this site's are named by its scope.
const PREFIX = `hemiciclo ${self.registration.scope} `;
const CACHE = PREFIX + VERSION;
const KEPT = new Set(FILES.map(([file]) => new URL(file, self.registration.scope).href));

self.addEventListener("install", (event) => {
  event.waitUntil(keepAll());
});

// Fetches every file past the browser's HTTP cache and keeps it only if
// its bytes are this build's; one mismatch (the site changed meanwhile)
// fails the install, which the browser tries again on a later visit.
async function keepAll() {
  const cache = await caches.open(CACHE);
  const kept = Promise.all(
    FILES.map(async ([file, hash]) => {
      const response = await fetch(new Request(file, { cache: "no-cache" }));
      if (!response.ok) throw new Error(`${file}: HTTP ${response.status}`);
      const bytes = await response.clone().arrayBuffer();
      const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
      const hex = Array.from(digest.slice(0, hash.length / 2), (b) => b.toString(16).padStart(2, "0")).join("");
      if (hex !== hash) throw new Error(`${file} is not of build ${VERSION}`);
      await cache.put(file, response);
    }),
  );
  // Half a build is never kept.
  await kept.catch(async (error) => {
    await caches.delete(CACHE);
    throw error;
  });
}

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith(PREFIX) && n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || !request.url.startsWith(self.registration.scope)) return;
  event.respondWith(answer(request, event));
});

// The search index changes with every build, and its files name each
// other: online it always comes from the network, whole and of one build.
const SEARCH_INDEX = new URL("pagefind/", self.registration.scope).href;

// The build's own files from the cache, whatever the query (`?seed=42`);
// anything else from the network, kept for when it is down: the pages
// visited, the search index's files a search loaded.
async function answer(request, event) {
  const cache = await caches.open(CACHE);
  const url = request.url.split(/[?#]/)[0];
  if (KEPT.has(url) && !url.startsWith(SEARCH_INDEX)) {
    const kept = await cache.match(url);
    if (kept) return kept;
  }
  try {
    const response = await fetch(request);
    // Keeping a copy never holds up, nor fails, the answer.
    if (response.status === 200) event.waitUntil(cache.put(url, response.clone()).catch(() => {}));
    return response;
  } catch (error) {
    const kept = await cache.match(url);
    if (kept) return kept;
    throw error;
  }
}
