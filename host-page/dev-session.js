/* Demo intranet single sign-on, for grove-server --dev only: mints a Grove token for the
 * person chosen in the switcher (learner, curator or leader) from /api/v1/dev/token.
 * A real intranet returns a token signed by its own backend instead (docs/EMBEDDING.md). */
(function () {
  'use strict';
  var PEOPLE = {
    learner: { sub: 'demo-learner', name: 'Sam Learner', role: 'learner' },
    curator: { sub: 'demo-curator', name: 'Casey Curator', role: 'curator' },
    leader: { sub: 'demo-leader', name: 'Lee Leader', role: 'leader' },
  };
  var who = localStorage.getItem('grove-demo-person') || 'learner';
  if (!PEOPLE[who]) who = 'learner';

  window.GroveConfig = {
    getToken: function () {
      return fetch('/api/v1/dev/token', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(PEOPLE[who]),
      }).then(function (r) {
        if (!r.ok) throw new Error('dev token: HTTP ' + r.status);
        return r.json();
      }).then(function (j) { return j.token; });
    },
  };

  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('[data-grove-module]').forEach(function (el) {
      var bar = document.createElement('div');
      bar.className = 'dev-session';
      bar.innerHTML = 'Demo: signed in as <select aria-label="Act as"></select>';
      var select = bar.querySelector('select');
      Object.keys(PEOPLE).forEach(function (k) {
        var o = document.createElement('option');
        o.value = k;
        o.textContent = PEOPLE[k].name + ' (' + k + ')';
        o.selected = k === who;
        select.appendChild(o);
      });
      select.addEventListener('change', function () {
        localStorage.setItem('grove-demo-person', select.value);
        location.reload();
      });
      el.parentNode.insertBefore(bar, el);
    });
  });
})();
