"use strict";
// Progress without reloads. While a page says work is under way (an element with
// data-poll="milliseconds"), fetch the same page again and copy the new content of each
// region marked data-part (found by its id) in place. Focus never moves: a region holding
// the focused element keeps its content until focus leaves it. Without this script the
// page reloads itself instead (a <noscript> refresh).
(function () {
  var poll = document.querySelector("[data-poll]");
  if (!poll || !window.fetch || !window.DOMParser) return;
  var every = Number(poll.getAttribute("data-poll")) || 1000;

  function apply(fresh) {
    var waiting = false;
    document.querySelectorAll("[data-part]").forEach(function (part) {
      var next = fresh.getElementById(part.id);
      if (!next || next.innerHTML === part.innerHTML) return;
      var focused = document.activeElement;
      if (focused && focused !== document.body && part.contains(focused)) {
        waiting = true;
        return;
      }
      part.innerHTML = next.innerHTML;
    });
    return waiting;
  }

  function tick() {
    fetch(window.location.href, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html");
        var waiting = apply(fresh);
        if (fresh.querySelector("[data-poll]") || waiting) window.setTimeout(tick, every);
      })
      .catch(function () { window.setTimeout(tick, every * 3); });
  }

  window.setTimeout(tick, every);
})();
