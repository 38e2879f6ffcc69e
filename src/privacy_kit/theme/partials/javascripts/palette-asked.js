/* Material stores the colour scheme on every page view; here only once the visitor has used its
   switch (then it is a preference the visitor asked for, and declared as such). And where the
   browser blocks storage, Material's reads of it fail quietly instead of throwing. Inlined early
   in the head (base.html, partials/javascripts/palette-asked.html), where Material reads and
   stores it as the page starts; the build hashes it into the Content-Security-Policy. */
(() => {
  "use strict";
  const get = window.__md_get, set = window.__md_set;
  let asked = false;
  window.__md_get = function () {
    try {
      return get.apply(this, arguments);
    } catch {
      return null;
    }
  };
  addEventListener("change", (event) => {
    if (event.target.name === "__palette") asked = true;
  }, true);
  window.__md_set = function (key) {
    if (key !== "__palette" || asked) return set.apply(this, arguments);
  };
})();
