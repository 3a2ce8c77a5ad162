// Waiting pages (QR code, hand-off to a signer): asks the server whether the confirmation has
// arrived and says what happens in the page's live region, so focus stays where the person is.
// Without this script the page offers a "check now" button that does the same.
(function () {
  'use strict';
  var box = document.querySelector('[data-poll-url]');
  if (!box) return;
  var url = box.getAttribute('data-poll-url');
  var every = Math.max(2, Number(box.getAttribute('data-poll-every')) || 3) * 1000;
  var live = document.getElementById('wait-status');
  var said = '';
  var stopped = false;
  function say(text) {
    if (!live || !text || text === said) return;
    said = text;
    live.textContent = text;
  }
  function later() {
    if (!stopped) window.setTimeout(check, every);
  }
  function check() {
    if (document.hidden) return later();
    window
      .fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin', cache: 'no-store', redirect: 'error' })
      .then(function (res) {
        return res.json();
      })
      .then(function (answer) {
        if (answer.state === 'waiting') {
          say(box.getAttribute('data-say-waiting'));
          later();
        } else if (answer.state === 'done' && typeof answer.next === 'string' && new URL(answer.next, window.location.href).origin === window.location.origin) {
          stopped = true;
          say(box.getAttribute('data-say-done'));
          window.location.assign(answer.next);
        } else {
          stopped = true;
          say(answer.message || box.getAttribute('data-say-failed'));
          var again = document.getElementById('wait-again');
          if (again) again.hidden = false;
        }
      })
      .catch(function () {
        say(box.getAttribute('data-say-retry'));
        later();
      });
  }
  later();
})();
