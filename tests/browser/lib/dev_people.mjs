// People of the UI's server-backed tests and screenshots, signed in with the dev server's tokens
// (as an intranet's SSO would mint them), and the API as each of them sees it, from node.
import assert from 'node:assert/strict';
import { hostPage } from './ui_page.mjs';

export const PEOPLE = {
  sam: { sub: 'u-sam', name: 'Sam Learner', role: 'learner' },
  ana: { sub: 'u-ana', name: 'Ana Souza', role: 'learner' },
  dmitri: { sub: 'u-dmitri', name: 'Dmitri Ivanov', role: 'learner' },
  priya: { sub: 'u-priya', name: 'Priya Raman', role: 'learner' },
  casey: { sub: 'u-casey', name: 'Casey Curator', role: 'curator' },
  lee: { sub: 'u-lee', name: 'Lee Leader', role: 'leader' },
};

export function devApi(server) {
  const tokens = new Map();
  async function token(person) {
    if (!tokens.has(person)) {
      const r = await fetch(server.url + '/api/v1/dev/token', {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(PEOPLE[person]),
      });
      assert.equal(r.status, 200);
      tokens.set(person, (await r.json()).token);
    }
    return tokens.get(person);
  }

  async function api(person, method, path, body) {
    const r = await fetch(server.url + '/api/v1' + path, {
      method,
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ' + await token(person) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : null };
  }

  let seq = 0;
  async function seed(person, module, body, extra = {}) {
    const r = await api(person, 'POST', `/modules/${module}/posts`,
      { id: `seed-${Date.now()}-${seq++}`, kind: 'insight', body, ...extra });
    assert.ok(r.status === 201 || r.status === 200, JSON.stringify(r.body));
    return r.body;
  }

  async function posts(module, person = 'sam') {
    const r = await api(person, 'GET', `/modules/${module}/posts?limit=1000`);
    assert.equal(r.status, 200);
    return r.body.posts;
  }

  // Polls the server until `predicate(posts)` returns something truthy, and returns that.
  async function until(module, predicate, what, person = 'sam', timeout = 30000) {
    const deadline = Date.now() + timeout;
    let ps = [];
    while (Date.now() < deadline) {
      ps = await posts(module, person);
      const found = predicate(ps);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`the server never had ${what}: ${JSON.stringify(ps).slice(0, 600)}`);
  }

  return { token, api, seed, posts, until };
}

// The UI test host page, signed in as `person` through GroveConfig.getToken.
export function pageFor(person, options = {}) {
  const p = JSON.stringify(PEOPLE[person]);
  const head = `<script>window.GroveConfig = { getToken: () => fetch('/api/v1/dev/token', { method: 'POST',
    headers: { 'Content-Type': 'application/json' }, body: ${JSON.stringify(p)} })
    .then((r) => r.json()).then((j) => j.token) };</script>`;
  return hostPage({ height: '900px', extraHead: head, ...options });
}

// Every API call fails as if the network were gone; the sign-in (dev token) still answers.
export async function apiDown(context) {
  await context.route('**/api/v1/**', (route) =>
    route.request().url().includes('/api/v1/dev/token') ? route.continue() : route.abort('internetdisconnected'));
}
