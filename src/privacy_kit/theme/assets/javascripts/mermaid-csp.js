/*
 * mermaid's diagrams under the kit's Content-Security-Policy. Material for MkDocs renders each
 * diagram with window.mermaid (the site's own copy, from extra_javascript) and puts the SVG into a
 * shadow root with innerHTML; mermaid's SVG carries its styles as a <style> element and style
 * attributes, which a policy without 'unsafe-inline' rightly blocks there (the diagram would be
 * black boxes). This wraps mermaid.render: the SVG is read in an inert template, its styles taken
 * out, and applied once the shadow root holds it through the CSSOM (a constructed stylesheet and
 * element.style), which the policy does not govern, being the page's own script's doing.
 * Loaded by the kit after extra_javascript where a mermaid script is listed there.
 */
(function () {
  "use strict";
  var mermaid = window.mermaid;
  if (!mermaid || typeof mermaid.render !== "function" || typeof CSSStyleSheet !== "function") return;
  var render = mermaid.render.bind(mermaid);
  var MARK = "data-mermaid-style";

  function withoutStyles(svg) {
    var template = document.createElement("template");
    template.innerHTML = svg; // inert: nothing in it loads, runs or applies
    var sheets = [];
    template.content.querySelectorAll("style").forEach(function (style) {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(style.textContent);
      sheets.push(sheet);
      style.remove();
    });
    var styles = [];
    template.content.querySelectorAll("[style]").forEach(function (element) {
      element.setAttribute(MARK, String(styles.length));
      styles.push(element.getAttribute("style"));
      element.removeAttribute("style");
    });
    return { svg: template.innerHTML, sheets: sheets, styles: styles };
  }

  mermaid.render = function () {
    return render.apply(null, arguments).then(function (result) {
      var taken = withoutStyles(result.svg);
      var bind = result.fn || result.bindFunctions;
      return {
        svg: taken.svg,
        fn: function (root) {
          root.adoptedStyleSheets = root.adoptedStyleSheets.concat(taken.sheets);
          root.querySelectorAll("[" + MARK + "]").forEach(function (element) {
            element.style.cssText = taken.styles[Number(element.getAttribute(MARK))];
            element.removeAttribute(MARK);
          });
          if (typeof bind === "function") bind(root);
        },
      };
    });
  };
})();
