// The loader a news site pastes into an article to embed the quiz:
//
//   <div data-hemiciclo data-size="5" data-lang="en"></div>
//   <script src="https://example.org/hemiciclo/embed.js" async></script>
//
// Each element with `data-hemiciclo` gets an iframe of this site's
// `embed/` page. Its attributes become the quiz's parameters: data-lang
// (a language of the site, "en"; else the site's first), data-proposals (ids,
// comma-separated), data-legislature, data-size (cards in the deck),
// data-seed and data-theme ("light", "dark" or "auto"), and data-title
// (the iframe's accessible name). The quiz tells the page its height with
// a message {type: "hemiciclo:height", height: pixels}; this loader
// accepts it only from the quiz's origin and its own iframe, and resizes
// the iframe to fit.
(() => {
  const script = document.currentScript;
  if (!script) return;
  const site = new URL(".", script.src);
  // Each language of the site and its folder, written in by `hemiciclo build`.
  const TREES = /*TREES*/{};
  const PARAMS = { proposals: "proposals", legislature: "legislature", size: "size", seed: "seed", theme: "theme" };
  const frames = new Map();

  function embed(host) {
    if (host.dataset.hemicicloReady) return;
    host.dataset.hemicicloReady = "1";
    const tree = Object.hasOwn(TREES, host.dataset.lang || "") ? TREES[host.dataset.lang] : "";
    const url = new URL(`${tree}embed/`, site);
    for (const [attribute, param] of Object.entries(PARAMS)) {
      const value = host.dataset[attribute];
      if (value) url.searchParams.set(param, value);
    }
    const frame = document.createElement("iframe");
    frame.src = url.href;
    frame.title = host.dataset.title || "Quiz";
    frame.loading = "lazy";
    frame.style.width = "100%";
    frame.style.height = "32rem";
    frame.style.border = "0";
    frame.style.display = "block";
    host.append(frame);
    frames.set(frame.contentWindow, frame);
  }

  addEventListener("message", (event) => {
    if (event.origin !== site.origin) return;
    const frame = frames.get(event.source);
    const data = event.data;
    if (!frame || !data || data.type !== "hemiciclo:height") return;
    const height = Number(data.height);
    if (Number.isFinite(height) && height > 0 && height < 20000) frame.style.height = `${Math.ceil(height)}px`;
  });

  document.querySelectorAll("[data-hemiciclo]").forEach(embed);
})();
