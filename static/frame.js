// The quiz inside a news article's iframe (`embed/`; see embed.js): the
// theme the article asked for (`?theme=dark|light|auto`, `?tema=escuro`),
// links that open outside the frame, and the page's height posted to the
// article whenever it changes, as {type: "hemiciclo:height", height}.
const params = new URLSearchParams(location.search);
const theme = params.get("tema") || params.get("theme");
if (theme === "dark" || theme === "escuro" || theme === "auto") document.documentElement.dataset.theme = theme === "escuro" ? "dark" : theme;
document.addEventListener("click", (event) => {
  const link = event.target.closest("a[href]");
  if (link && !link.getAttribute("href").startsWith("#") && link.id !== "again") link.target = "_blank";
});
let posted = 0;
const post = () => {
  const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
  if (height === posted || parent === window) return;
  posted = height;
  parent.postMessage({ type: "hemiciclo:height", height }, "*");
};
new ResizeObserver(post).observe(document.documentElement);
post();
