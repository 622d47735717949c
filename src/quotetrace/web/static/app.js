// quotetrace pages: show who said a highlighted statement (hover, focus, tap or Enter).
// Reads only data-* attributes and writes with textContent, so no article text is parsed as HTML.
(function () {
  "use strict";

  function describe(mark) {
    var info = document.getElementById("stmt-info");
    if (!info) return;
    var rows = [
      ["Speaker", mark.dataset.speaker + (mark.dataset.number !== "0" ? " (" + mark.dataset.number + ")" : "")],
      ["Cue", mark.dataset.cue || "none found"],
      ["Kind", mark.dataset.kind],
      ["Confidence", mark.dataset.confidence],
    ];
    var list = document.createElement("dl");
    rows.forEach(function (row) {
      var dt = document.createElement("dt");
      dt.textContent = row[0];
      var dd = document.createElement("dd");
      dd.textContent = row[1];
      dd.className = "info-" + row[0].toLowerCase();
      list.appendChild(dt);
      list.appendChild(dd);
    });
    info.replaceChildren(list);
    document.querySelectorAll("mark.stmt.active").forEach(function (m) {
      m.classList.remove("active");
    });
    mark.classList.add("active");
  }

  function select(mark, scroll) {
    describe(mark);
    if (scroll) {
      mark.scrollIntoView({ block: "center" });
      mark.focus({ preventScroll: true });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("mark.stmt").forEach(function (mark) {
      mark.addEventListener("mouseenter", function () { describe(mark); });
      mark.addEventListener("focus", function () { describe(mark); });
      mark.addEventListener("click", function () { describe(mark); });
      mark.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          describe(mark);
        }
      });
    });
    document.querySelectorAll("a.jump").forEach(function (link) {
      link.addEventListener("click", function (event) {
        var mark = document.getElementById(link.dataset.target);
        if (!mark) return;
        event.preventDefault();
        history.replaceState(null, "", "#" + link.dataset.target);
        select(mark, true);
      });
    });
    // A speaker's chain of mentions: each link shows its mention in the text, framed.
    document.querySelectorAll("a.jump-mention").forEach(function (link) {
      link.addEventListener("click", function (event) {
        var mention = document.getElementById(link.dataset.target);
        if (!mention) return;
        event.preventDefault();
        history.replaceState(null, "", "#" + link.dataset.target);
        document.querySelectorAll(".mention.active").forEach(function (m) {
          m.classList.remove("active");
        });
        mention.classList.add("active");
        mention.scrollIntoView({ block: "center" });
      });
    });
    if (location.hash.indexOf("#st-") === 0) {
      var target = document.getElementById(location.hash.slice(1));
      if (target && target.matches("mark.stmt")) select(target, true);
    }
  });
})();
