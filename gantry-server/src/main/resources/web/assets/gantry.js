/* Gantry: the script every page loads.
 *
 * Times: an element <time datetime="2026-12-01T22:17:21Z">2026-12-01 22:17:21 UTC</time>
 * shows "3 min ago" (kept current) with the exact instant in the viewer's time zone as its
 * title. The server writes the exact UTC time as the text, which stays as it is without
 * script. Elements added later (live pages) are handled as they appear; pages may also call
 * gantry.times(element).
 */
(function () {
  'use strict';

  var MINUTE = 60e3, HOUR = 60 * MINUTE, DAY = 24 * HOUR;

  function plural(n, unit) {
    return n + ' ' + unit + (n === 1 ? '' : 's');
  }

  /** "just now", "3 min ago", "5 h ago", "2 days ago", "in 4 min"; the date when a month or more away. */
  function relative(date, now) {
    var ms = now - date;
    var ago = ms >= 0;
    var abs = Math.abs(ms);
    var text;
    if (abs < 45e3) {
      return ago ? 'just now' : 'in a moment';
    } else if (abs < HOUR) {
      text = Math.max(1, Math.round(abs / MINUTE)) + ' min';
    } else if (abs < DAY) {
      text = Math.round(abs / HOUR) + ' h';
    } else if (abs < 30 * DAY) {
      text = plural(Math.round(abs / DAY), 'day');
    } else {
      return date.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
    }
    return ago ? text + ' ago' : 'in ' + text;
  }

  /** The exact instant in the viewer's time zone, with the zone's name. */
  function exact(date) {
    return date.toLocaleString(undefined, {
      year: 'numeric', month: 'short', day: 'numeric',
      hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: 'short'
    });
  }

  function render(el, now) {
    var date = new Date(el.getAttribute('datetime'));
    if (isNaN(date.getTime())) {
      return; // not an instant (a bare date or a duration): left as the server wrote it
    }
    el.textContent = relative(date, now);
    el.title = exact(date);
  }

  /** Renders every <time datetime> in root (the document by default). */
  function times(root) {
    var now = Date.now();
    var scope = root || document;
    if (scope.matches && scope.matches('time[datetime]')) {
      render(scope, now);
    }
    scope.querySelectorAll('time[datetime]').forEach(function (el) { render(el, now); });
  }

  window.gantry = { relative: relative, exact: exact, times: times };

  function start() {
    times(document);
    setInterval(function () { times(document); }, 30e3);
    new MutationObserver(function (changes) {
      changes.forEach(function (c) {
        c.addedNodes.forEach(function (n) {
          if (n.nodeType === 1) {
            times(n);
          }
        });
      });
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
