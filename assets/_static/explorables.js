/* Explorables in the static book (markup from reactive_lab/explore_html.py): every frame is
   already in the page; the controls pick which one shows, and the readout of the shown
   frame is copied into a polite live region so screen readers announce the new numbers. */
(function () {
  "use strict";

  function position(root, index) {
    var control = root.querySelector('[data-rl-control="' + index + '"]');
    if (control.matches("fieldset")) {
      var checked = control.querySelector("input:checked");
      return checked ? Number(checked.value) : 0;
    }
    return Number(control.value);
  }

  function setReadout(readout, text) {
    readout.textContent = "";
    text.split("\n").forEach(function (line, i) {
      if (i) readout.appendChild(document.createElement("br"));
      readout.appendChild(document.createTextNode(line));
    });
  }

  function update(root, shape) {
    var index = 0;
    shape.forEach(function (size, i) { index = index * size + position(root, i); });
    var images = root.querySelectorAll(".rl-figure img");
    images.forEach(function (img, i) { img.hidden = i !== index; });
    var readout = root.querySelector(".rl-readout");
    var text = images[index].getAttribute("data-rl-readout") || "";
    if (readout && readout.textContent !== text.replace(/\n/g, "")) setReadout(readout, text);
  }

  function syncSlider(slider) {
    var labels = JSON.parse(slider.getAttribute("data-rl-labels"));
    var label = labels[Number(slider.value)];
    slider.setAttribute("aria-valuetext", label);
    var shown = slider.closest(".rl-slider").querySelector(".rl-value");
    if (shown) shown.textContent = label;
    // The filled part of the track, for browsers without a styleable progress.
    var max = Number(slider.max) || 1;
    slider.style.setProperty("--rl-fill", (100 * Number(slider.value) / max) + "%");
  }

  function setup(root) {
    if (root.dataset.rlReady) return;
    root.dataset.rlReady = "1";
    var shape = JSON.parse(root.getAttribute("data-rl-shape"));
    root.querySelectorAll('input[type="range"]').forEach(syncSlider);
    root.addEventListener("input", function (event) {
      if (event.target.matches('input[type="range"]')) syncSlider(event.target);
      update(root, shape);
    });
    root.addEventListener("change", function () { update(root, shape); });
    update(root, shape);
  }

  function setupAll() {
    document.querySelectorAll(".rl-explorable[data-rl-shape]").forEach(setup);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setupAll);
  } else {
    setupAll();
  }
})();
