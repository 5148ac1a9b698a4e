// Starts the quiz module; it finds its own place in the page.
import init from "./pkg/hemiciclo_web.js";
init();
