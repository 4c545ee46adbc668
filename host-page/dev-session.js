/* Demo intranet single sign-on, for grove-server --dev only: mints a Grove token for the person
 * chosen in the header's switcher (learner, curator or leader) from POST /api/v1/dev/token.
 * A real intranet returns a token signed by its own backend instead (docs/EMBEDDING.md,
 * "Tokens"). Load it before grove.js: it sets window.GroveConfig. */
(function () {
  'use strict';
  var PEOPLE = {
    learner: { sub: 'demo-learner', name: 'Sam Learner', role: 'learner' },
    curator: { sub: 'demo-curator', name: 'Casey Curator', role: 'curator' },
    leader: { sub: 'demo-leader', name: 'Lee Leader', role: 'leader' },
  };
  var KEY = 'grove-demo-person';
  var who = null;
  try { who = localStorage.getItem(KEY); } catch (e) { /* storage off: stay the learner */ }
  if (!PEOPLE[who]) who = 'learner';

  function mint() {
    return fetch('/api/v1/dev/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(PEOPLE[who]),
    }).then(function (r) {
      if (r.status === 404) throw new Error('this Grove server is not in development mode (start it with --dev)');
      if (!r.ok) throw new Error('the dev token request answered HTTP ' + r.status);
      return r.json();
    }).then(function (j) { return j.token; });
  }

  window.GroveConfig = { getToken: mint };

  function render() {
    var slot = document.getElementById('dev-session');
    if (!slot) return;
    slot.className = 'dev-session';
    slot.innerHTML = '<span class="dev-badge" title="grove-server --dev">DEV</span>' +
      '<label>Act as <select aria-label="Act as"></select></label><span class="dev-note" role="status"></span>';
    var select = slot.querySelector('select');
    Object.keys(PEOPLE).forEach(function (k) {
      var o = document.createElement('option');
      o.value = k;
      o.textContent = PEOPLE[k].name + ' (' + k + ')';
      o.selected = k === who;
      select.appendChild(o);
    });
    // A new person means a new token and a fresh start for every widget: reload.
    select.addEventListener('change', function () {
      try { localStorage.setItem(KEY, select.value); } catch (e) { /* the reload then keeps the learner */ }
      location.reload();
    });
    mint().catch(function (e) {
      slot.querySelector('.dev-note').textContent = 'Sign-in unavailable: ' + e.message + '.';
    });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', render);
  else render();
})();
