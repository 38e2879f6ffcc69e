/* Search on first use (unless PRIVACY_KIT_REDUCTIONS=off, privacy_kit/reduction.py): Material
   starts its search worker (lunr, about 40 kB) and requests the search index as every page starts.
   Here both wait until the visitor first focuses the search field or opens the search (its check
   box changes: the phone's search button): the worker is created then and the index request sent
   then; Material's code is unchanged and sends the query already typed once the worker is ready,
   so the first results need no second action. Inlined into every page before Material's bundle
   (partials/javascripts/interface.html), which the build hashes into the CSP. */
(() => {
  "use strict";
  const d = document;
const search = d.querySelector('[data-md-component="search"]');
if (search) {
  const RealWorker = Worker, xhr = XMLHttpRequest.prototype, open = xhr.open, send = xhr.send, waiting = [];
  let used = false;
  const later = (start) => (used ? start() : waiting.push(start));
  const use = () => { if (!used) { used = true; for (const start of waiting.splice(0)) start(); } };
  window.Worker = class extends EventTarget {
    constructor(url, options) {
      if (!/\/workers\/search\./.test(url)) return new RealWorker(url, options);
      super();
      this.queue = [];
      later(() => {
        this.worker = new RealWorker(url, options);
        this.worker.addEventListener("message", (e) => this.dispatchEvent(new MessageEvent("message", { data: e.data })));
        for (const message of this.queue.splice(0)) this.worker.postMessage(message);
      });
    }
    postMessage(message) { this.worker ? this.worker.postMessage(message) : this.queue.push(message); }
    terminate() { this.worker?.terminate(); }
  };
  xhr.open = function (method, url) { this.searchIndex = /\/search\/search_index\.json$/.test(url); return open.apply(this, arguments); };
  xhr.send = function () { return this.searchIndex ? later(() => send.apply(this, arguments)) : send.apply(this, arguments); };
  search.addEventListener("focusin", use);
  d.getElementById("__search")?.addEventListener("change", use);
}
})();
