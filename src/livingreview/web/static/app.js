// Keyboard shortcuts of the screening page, as in the terminal screener:
// i include, m maybe, e exclude (then a criterion's key, 0 for no reason, Esc to cancel),
// u undo, n note. Each submits the page's ordinary form; nothing else runs here.
"use strict";
(function () {
  let askingReason = false;

  function typing(target) {
    return target instanceof HTMLElement && target.matches("input[type=text], input:not([type]), textarea, select");
  }

  function submit(id) {
    const form = document.getElementById("decide");
    form.requestSubmit(document.getElementById(id));
  }

  function askReason(on) {
    askingReason = on;
    document.getElementById("reasons").classList.toggle("asking", on);
  }

  function chooseReason(key) {
    const choice = document.querySelector('#reasons input[data-key="' + CSS.escape(key) + '"]');
    if (!choice) return;
    choice.checked = true;
    askReason(false);
    submit("exclude");
  }

  // RoB 2 and ROBINS-I: each answer asks the server for the algorithm's judgements (a GET; nothing is stored).
  document.addEventListener("change", function (event) {
    const form = event.target instanceof HTMLElement ? event.target.closest("#rob2, #robins") : null;
    if (form) form.requestSubmit();
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    if (!document.getElementById("decide")) {
      if (event.key === "u" && document.getElementById("undo")) document.getElementById("undo").requestSubmit();
      return;
    }
    const key = event.key.toLowerCase();
    if (askingReason) {
      event.preventDefault();
      if (event.key === "Escape" || key === "c") askReason(false); else chooseReason(key);
      return;
    }
    const actions = {
      i: function () { submit("include"); },
      m: function () { submit("maybe"); },
      e: function () { askReason(true); },
      u: function () { document.getElementById("undo").requestSubmit(); },
      n: function () { document.getElementById("note").focus(); },
    };
    if (actions[key]) { event.preventDefault(); actions[key](); }
  });
})();
