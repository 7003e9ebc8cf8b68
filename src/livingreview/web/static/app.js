// Keyboard shortcuts of the screening page, as in the terminal screener:
// i include, m maybe, e exclude (then a criterion's key, 0 for no reason, Esc to cancel),
// u undo, n note. Each submits the page's ordinary form.
// A decision or undo form is sent with fetch, marked for the server, which commits it and answers
// with the next screen page in the same request (one round trip a keypress, not a POST and a GET);
// that page replaces this one and the history entry becomes the screen's GET address, so a reload
// never posts again. Without this script the forms post and redirect as plain HTML forms.
"use strict";
(function () {
  const FETCHED_FORMS = ["decide", "undo"];
  let askingReason = false;
  let sending = false;

  function showPage(html, url) {
    const page = new DOMParser().parseFromString(html, "text/html");
    document.title = page.title;
    document.body.replaceWith(document.adoptNode(page.body));
    if (url) history.replaceState(null, "", url);
  }

  // Shown when no page came back: the decision may or may not be stored, so say so, never guess.
  function showProblem(text) {
    const main = document.querySelector("main");
    const problem = document.createElement("p");
    problem.className = "error";
    problem.setAttribute("role", "alert");
    problem.textContent = text + " Reload the page to see what was saved.";
    main.prepend(problem);
  }

  async function send(form, submitter) {
    const data = new FormData(form);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    sending = true;
    try {
      const answer = await fetch(form.action, {
        method: "POST", body: new URLSearchParams(data), credentials: "same-origin",
        headers: {"X-Requested-With": "livingreview"},
      });
      const html = (answer.headers.get("content-type") || "").startsWith("text/html");
      if (html) showPage(await answer.text(), answer.headers.get("X-Page-URL"));
      else showProblem("The server refused the request (" + answer.status + "): " + (await answer.text()));
    } catch (error) {
      showProblem("The request did not reach the server (" + error + ").");
    } finally {
      askingReason = false;
      sending = false;
    }
  }

  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !FETCHED_FORMS.includes(form.id)) return;
    event.preventDefault();
    if (!sending) send(form, event.submitter);
  });

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
    if (sending) { event.preventDefault(); return; }  // one decision at a time, on the record shown
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
