// The workflow diagram on the desk's engagement page: Mermaid (vendored, see vendor/VENDORED.toml)
// draws the text the page carries, the same text GET /v1/workflow/diagram answers. Kept out of the
// page so that its Content-Security-Policy needs no inline script.
window.addEventListener("DOMContentLoaded", function () {
  mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: "neutral" });
  mermaid.run({ querySelector: "pre.mermaid" });
});
// A trigger fired through htmx swaps in the page's main part with the diagram's new text: draw it
// (Mermaid skips a drawing it has made already).
document.addEventListener("htmx:afterSettle", function () {
  mermaid.run({ querySelector: "pre.mermaid:not([data-processed])" });
});
