// The portal's behaviour beyond plain HTML forms (CSP: this file only, no inline script): the service worker, and
// the device's queue of clock actions pressed offline. A queued action keeps its Idempotency-Key and the moment
// it was pressed; when the network returns it is sent to the API as a replay (`occurred_at`), so the server
// records it once, at that time, flagged `offline_replay`. Texts come from the page (data-* of the banner).
(function () {
  "use strict";

  var QUEUE = "portal.clockQueue";
  var NOTE = "portal.replayNote";
  var body = document.body;
  var banner = document.getElementById("offline-banner");
  var replaying = false;

  if ("serviceWorker" in navigator && body.dataset.sw) {
    navigator.serviceWorker.register(body.dataset.sw, { scope: "/" }).catch(function () {});
  }

  function text(name, count) {
    return ((banner && banner.dataset[name]) || "").replace("{count}", String(count));
  }

  function show(message) {
    if (!banner) return;
    banner.textContent = message;
    banner.hidden = !message;
  }

  function load() {
    try {
      return JSON.parse(localStorage.getItem(QUEUE) || "[]");
    } catch (error) {
      return [];
    }
  }

  function save(items) {
    localStorage.setItem(QUEUE, JSON.stringify(items));
  }

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".replace(/[xy]/g, function (c) {
      var r = (Math.random() * 16) | 0;
      return (c === "x" ? r : (r & 0x3) | 0x8).toString(16);
    });
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function showQueue() {
    var count = load().length;
    show(count ? text("queued", count) : "");
  }

  // What was pressed, and when: the button's kind and the moment of the click, kept on the form.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-clock-form] button[name=kind]");
    if (!button) return;
    button.form.dataset.kind = button.value;
    button.form.dataset.pressedAt = new Date().toISOString();
  });

  function enqueue(form) {
    var place = form.querySelector("input[name=location]:checked");
    var items = load();
    items.push({
      kind: form.dataset.kind,
      location: place ? place.value : "office",
      key: form.elements.key.value,
      occurred_at: form.dataset.pressedAt || new Date().toISOString(),
    });
    save(items);
    form.elements.key.value = newKey(); // the next press is another action
    showQueue();
  }

  function clockForm(element) {
    return element && element.closest ? element.closest("[data-clock-form]") : null;
  }

  // Offline: the press is queued instead of sent (htmx's request, or the plain form without htmx).
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = clockForm(event.detail.elt);
    if (form && !navigator.onLine) {
      event.preventDefault();
      enqueue(form);
    }
  });
  // The network failed on the way (online as far as the browser knew): queued too; a replay of an action the
  // server did receive is answered from its first response (the same key), so nothing is recorded twice.
  document.addEventListener("htmx:sendError", function (event) {
    var form = clockForm(event.detail.elt);
    if (form) enqueue(form);
  });
  document.addEventListener("submit", function (event) {
    var form = clockForm(event.target);
    if (form && !window.htmx && !navigator.onLine) {
      event.preventDefault();
      enqueue(form);
    }
  });

  function finish(sent, failed) {
    var notes = [];
    if (sent) notes.push(text("sent", sent));
    failed.forEach(function (detail) {
      notes.push(text("failed", 1) + " " + detail);
    });
    sessionStorage.setItem(NOTE, notes.join(" "));
    window.location.reload();
  }

  function replay() {
    var items = load();
    if (replaying || !items.length || !navigator.onLine || !body.dataset.clockApi) return;
    replaying = true;
    var sent = 0;
    var failed = [];
    (function next() {
      var item = load()[0];
      if (!item) {
        replaying = false;
        finish(sent, failed);
        return;
      }
      fetch(body.dataset.clockApi, {
        method: "POST",
        credentials: "same-origin",
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json",
          "Idempotency-Key": item.key,
          "X-CSRFToken": csrfToken(),
        },
        body: JSON.stringify({ kind: item.kind, location: item.location, occurred_at: item.occurred_at }),
      })
        .then(function (response) {
          if (response.status >= 500 || response.status === 401 || response.status === 403) {
            throw new Error("retry later");
          }
          return response.json().then(function (answer) {
            if (response.ok) sent += 1;
            else failed.push(answer.detail || "");
            save(load().slice(1));
            next();
          });
        })
        .catch(function () {
          replaying = false; // kept for the next time the network returns
          showQueue();
        });
    })();
  }

  var note = sessionStorage.getItem(NOTE);
  if (note) {
    sessionStorage.removeItem(NOTE);
    show(note);
  } else {
    showQueue();
  }
  window.addEventListener("online", replay);
  replay();
})();
