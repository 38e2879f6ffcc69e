// Material for MkDocs' documented KaTeX set-up (Reference > Math): render the formulas that
// pymdownx.arithmatex (generic: true) wrote, on every page view, instant navigation included.
document$.subscribe(({ body }) => {
  renderMathInElement(body, {
    delimiters: [
      { left: "$$", right: "$$", display: true },
      { left: "$", right: "$", display: false },
      { left: "\\(", right: "\\)", display: false },
      { left: "\\[", right: "\\]", display: true },
    ],
  });
});
