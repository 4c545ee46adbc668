// Seeding a real grove-server through its API for the browser benchmarks (startup_sync.mjs,
// sync_cache.mjs): dev tokens and n realistic posts in one module.

export async function devToken(server, sub, name) {
  const r = await fetch(server.url + '/api/v1/dev/token', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ sub, name, role: 'learner' }),
  });
  if (!r.ok) throw new Error(`dev token: HTTP ${r.status}`);
  return (await r.json()).token;
}

// n posts from 20 people, replies to every fifth, bodies of realistic length (120-360 chars), ids
// <prefix>-0..n-1 (bench-0.. by default). POSTs are retried: the server may close an idle keep-alive connection just as the
// client reuses it ("other side closed"); the client-chosen id makes a retry idempotent (200
// instead of 201). Returns how many POSTs were retried.
export async function seedPosts(server, module, n, prefix = 'bench') {
  let retried = 0;
  async function createPost(token, post) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fetch(`${server.url}/api/v1/modules/${module}/posts`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ' + token },
          body: JSON.stringify(post),
        });
      } catch (e) {
        if (attempt >= 5) throw e;
        retried++;
      }
    }
  }
  const tokens = [];
  for (let i = 0; i < 20; i++) tokens.push(await devToken(server, `bench-${i}`, `Bench Person ${i}`));
  const words = 'extinguisher exit alarm drill label class smoke door stairs assembly point warden check weekly'.split(' ');
  let next = 0;
  const parents = [];
  async function worker() {
    for (;;) {
      const i = next++;
      if (i >= n) return;
      let body = `Reflection ${i}:`;
      while (body.length < 120 + (i % 7) * 40) body += ' ' + words[(i * 7 + body.length) % words.length];
      const parent = i % 5 === 4 && parents.length ? parents[i % parents.length] : null;
      const r = await createPost(tokens[i % 20], { id: `${prefix}-${i}`, kind: 'insight', body, parent_id: parent });
      if (r.status !== 201 && r.status !== 200) throw new Error(`seeding post ${i}: HTTP ${r.status} ${await r.text()}`);
      if (!parent) parents.push(`${prefix}-${i}`);
    }
  }
  await Promise.all(Array.from({ length: 8 }, worker));
  return retried;
}
