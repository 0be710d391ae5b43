// The portal's behaviour beyond plain HTML forms (CSP: this file only, no inline script): the service worker and
// the offline queue of clock actions.
(function () {
  "use strict";

  if ("serviceWorker" in navigator && document.body.dataset.sw) {
    navigator.serviceWorker.register(document.body.dataset.sw, { scope: "/" }).catch(function () {});
  }
})();
