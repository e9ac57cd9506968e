/* The Jupyter widget manager (html-manager 1.0.x) typesets widget labels with the MathJax 2
 * API, MathJax.Hub.Queue, whenever window.MathJax exists. The book loads MathJax 3, which
 * has no Hub, so every widget would throw "Cannot read properties of undefined (reading
 * 'Queue')". This gives the real MathJax 3 object a Hub whose Queue typesets through the
 * MathJax 3 API. It must run before MathJax's deferred script, so it is a plain script. */
(function () {
  "use strict";
  var hub = {
    Queue: function (job) {
      var element = Array.isArray(job) ? job[2] : undefined;
      var mathjax = window.MathJax;
      if (!mathjax || typeof mathjax.typesetPromise !== "function") {
        return;
      }
      var ready = mathjax.startup && mathjax.startup.promise;
      (ready || Promise.resolve())
        .then(function () {
          return mathjax.typesetPromise(element ? [element] : undefined);
        })
        .catch(function () {
          /* a label that is not valid TeX stays as text */
        });
    },
  };
  var current = window.MathJax;
  Object.defineProperty(window, "MathJax", {
    configurable: true,
    get: function () {
      return current;
    },
    set: function (value) {
      current = value;
      // Only the loaded MathJax carries a version; the configuration object must stay clean.
      if (value && value.version && !value.Hub) {
        value.Hub = hub;
      }
    },
  });
})();
