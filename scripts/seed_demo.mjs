#!/usr/bin/env node
// Seeds the demo intranet with four weeks of a learning community, through the real API of a
// grove-server started with --dev (dev tokens, and the dev clock to date posts in the past), so
// the catalogue's counts, the newsletter's digest and the insights page show something real.
// `./grove run` calls it on a fresh database; it does nothing when the demo modules have posts.
//   node scripts/seed_demo.mjs [--url http://127.0.0.1:8080] [--wait SECONDS] [--force]
// Every write goes through the public API, as a person of the demo (learners, leaders, a
// curator), each signed in with a dev token; the write limit is honoured (429: wait, retry).

const DAY = 86400000;

export const MODULES = {
  'fire-safety-101': 'Fire safety 101',
  'data-protection-101': 'Data protection basics',
  'feedback-basics': 'Giving useful feedback',
  'first-aid-basics': 'First aid at work',
  'inclusive-meetings': 'Running inclusive meetings',
  'phishing-awareness': 'Spotting phishing e-mails',
  'customer-calls': 'Handling difficult customer calls',
  'brandschutz-grundlagen': 'Brandschutz-Grundlagen',
  'securite-routiere': 'Sécurité routière',
};

const PEOPLE = {
  ana: { sub: 'demo-ana', name: 'Ana Souza', role: 'learner' },
  dmitri: { sub: 'demo-dmitri', name: 'Dmitri Ivanov', role: 'learner' },
  priya: { sub: 'demo-priya', name: 'Priya Raman', role: 'learner' },
  tom: { sub: 'demo-tom', name: 'Tom Becker', role: 'learner' },
  mei: { sub: 'demo-mei', name: 'Mei Chen', role: 'learner' },
  jonas: { sub: 'demo-jonas', name: 'Jonas Weber', role: 'learner' },
  fatima: { sub: 'demo-fatima', name: 'Fatima Khan', role: 'learner' },
  lucas: { sub: 'demo-lucas', name: 'Lucas Martin', role: 'learner' },
  ines: { sub: 'demo-ines', name: 'Inês Carvalho', role: 'learner' },
  kofi: { sub: 'demo-kofi', name: 'Kofi Mensah', role: 'learner' },
  claire: { sub: 'demo-claire', name: 'Claire Dubois', role: 'learner' },
  grace: { sub: 'demo-grace', name: 'Grace Okafor', role: 'leader' },
  henrik: { sub: 'demo-henrik', name: 'Henrik Larsen', role: 'leader' },
  rosa: { sub: 'demo-rosa', name: 'Rosa Díaz', role: 'curator' },
  // The demo page's own learner (host-page/dev-session.js): a commitment of theirs is due, so the
  // check-in card greets whoever opens the demo as a learner.
  sam: { sub: 'demo-learner', name: 'Sam Learner', role: 'learner' },
};

// The modules' resource shelves, added by the curator: [module, title, url, note].
const RESOURCES = [
  ['fire-safety-101', 'Extinguisher checklist', 'https://www.osha.gov/etools/evacuation-plans-procedures/emergency-standards/portable-extinguishers', 'Which class of extinguisher for which fire.'],
  ['fire-safety-101', 'Evacuation plan template', 'https://www.ready.gov/business/implementation/emergency', 'Fill in your floor\'s exits and assembly point.'],
  ['fire-safety-101', 'Fire drill timing sheet', 'https://www.nfpa.org/education-and-research/emergency-response/fire-drills', 'Time the drill and compare.'],
  ['fire-safety-101', 'Home fire safety', 'https://www.redcross.org/get-help/how-to-prepare-for-emergencies/types-of-emergencies/fire.html', ''],
  ['phishing-awareness', 'How to spot a phishing e-mail', 'https://www.ncsc.gov.uk/guidance/phishing', 'Short and practical.'],
];

// [days ago, author, module, kind, body, extra]: extra.replyTo names an earlier post's tag,
// extra.tag names this one, extra.endorsedBy lists who endorses it (a day later), extra.outcome
// answers a commitment (with extra.outcomeDaysAgo), extra.hide has the curator hide it.
const POSTS = [
  [27, 'ana', 'fire-safety-101', 'insight', 'I had never read the label on our extinguisher. Class A only: good to know before I need it.', { endorsedBy: ['tom'] }],
  [26, 'dmitri', 'fire-safety-101', 'question', 'Are we expected to close the windows before leaving? The module mentioned doors but not windows.', { tag: 'windows' }],
  [26, 'priya', 'fire-safety-101', 'insight', 'Yes: close them if it takes seconds. Less oxygen, slower fire.', { replyTo: 'windows' }],
  [25, 'tom', 'data-protection-101', 'insight', 'I keep a paper list of customer calls on my desk. After this module it goes into the shredder every evening.'],
  [24, 'mei', 'feedback-basics', 'tip', 'Ask "do you want feedback on this?" before giving it. Half the time the answer changes what you say.', { endorsedBy: ['ana', 'lucas'] }],
  [23, 'jonas', 'first-aid-basics', 'insight', 'The recovery position is easier than I remembered. We practised it in pairs and I would do it now without thinking.'],
  [22, 'fatima', 'inclusive-meetings', 'insight', 'Sending the agenda a day ahead lets quieter colleagues prepare. I will do it for every team meeting I run.'],
  [21, 'lucas', 'phishing-awareness', 'question', 'How do I report a phishing mail on my phone? The button is only in the desktop client.', { tag: 'phone' }],
  [21, 'kofi', 'phishing-awareness', 'tip', 'Forward it as an attachment to the security mailbox; the helpdesk page has the address.', { replyTo: 'phone', endorsedBy: ['lucas'] }],
  [20, 'claire', 'securite-routiere', 'insight', 'Je pose mon téléphone dans la boîte à gants avant de démarrer. Plus de tentation au feu rouge.'],
  [20, 'jonas', 'brandschutz-grundlagen', 'insight', 'Ich wusste nicht, dass unser Sammelplatz hinter Gebäude C liegt. Jetzt weiß ich es.'],
  [19, 'ines', 'customer-calls', 'insight', 'Naming the feeling ("I can hear this has been frustrating") calmed the next angry caller within a minute.', { endorsedBy: ['priya', 'mei'] }],
  [18, 'ana', 'inclusive-meetings', 'commitment', 'When I chair the Monday meeting, I will ask the people who have not spoken yet before we decide.', { outcome: 'done', outcomeDaysAgo: 4 }],
  [18, 'henrik', 'customer-calls', 'leader_learning', 'I listened in on ten support calls this month. The best ones never argued about whose fault it was; they said what happens next.'],
  [17, 'dmitri', 'data-protection-101', 'commitment', 'When I send a customer file, I will use the secure share link instead of an attachment.', { outcome: 'partly', outcomeDaysAgo: 3 }],
  [16, 'priya', 'feedback-basics', 'insight', 'Praise as precisely as criticism: "the summary slide saved us ten minutes" lands far better than "good job".', { endorsedBy: ['grace', 'tom'] }],
  [15, 'tom', 'fire-safety-101', 'commitment', 'When I arrive on Monday, I will walk the route to the second exit once.', { outcome: 'done', outcomeDaysAgo: 6 }],
  [14, 'mei', 'phishing-awareness', 'insight', 'I hovered over every link in my inbox today. Two newsletters I trusted go through tracking domains I did not know.'],
  [14, 'kofi', 'first-aid-basics', 'question', 'Where is the defibrillator on the third floor? The map in the module is of the old building.', { tag: 'aed' }],
  [13, 'rosa', 'first-aid-basics', 'tip', 'Third floor: next to the lifts, in the white cabinet. The facilities team is updating the map.', { replyTo: 'aed', endorsedBy: ['kofi', 'jonas'] }],
  [13, 'fatima', 'customer-calls', 'commitment', 'When a caller interrupts me, I will let them finish and summarise before I answer.'],
  [12, 'lucas', 'data-protection-101', 'insight', 'Our team spreadsheet had home addresses nobody needed. We deleted the column today.', { endorsedBy: ['dmitri'] }],
  [11, 'claire', 'securite-routiere', 'tip', 'Le covoiturage du mardi part du parking B à 17 h 30 : une bonne occasion de ne pas conduire fatigué.'],
  [11, 'grace', 'inclusive-meetings', 'leader_learning', 'We tried silent brainstorming for five minutes before discussion. Twice as many ideas, and not only from the usual voices.'],
  [10, 'ines', 'feedback-basics', 'commitment', 'When a project ends, I will ask each person for one thing I could have done better.', { outcome: 'not_yet', outcomeDaysAgo: 2 }],
  [9, 'jonas', 'brandschutz-grundlagen', 'tip', 'Der Feuerlöscher in der Küche ist ein CO₂-Löscher: gut für die Kaffeemaschine, nicht für den Papierkorb.'],
  [8, 'ana', 'phishing-awareness', 'commitment', 'When a mail asks me to log in, I will open the site from my bookmarks instead of the link.', { outcome: 'done', outcomeDaysAgo: 1 }],
  [7, 'dmitri', 'fire-safety-101', 'insight', 'Our floor timed the drill: down from six minutes to three, just by agreeing who checks the meeting rooms.', { endorsedBy: ['henrik', 'priya', 'tom'] }],
  [6, 'henrik', 'data-protection-101', 'leader_learning', 'A near miss in my own team: a customer list almost went to a personal address. We now review shared folders every quarter, starting with mine.', { endorsedBy: ['lucas', 'ana'] }],
  [6, 'priya', 'customer-calls', 'insight', 'Writing the next step into the ticket while still on the call means the customer hears it and I never forget it.', { endorsedBy: ['grace', 'ines', 'fatima'] }],
  [5, 'tom', 'feedback-basics', 'question', 'How do you give feedback upwards without it sounding like a complaint?', { tag: 'upwards' }],
  [5, 'mei', 'feedback-basics', 'insight', 'Start from the goal you share: "I want the launch to go well too, and I noticed…" worked with my manager.', { replyTo: 'upwards', endorsedBy: ['tom', 'grace'] }],
  [4, 'grace', 'fire-safety-101', 'leader_learning', 'Team leads: we now open every Monday stand-up with one near miss from the week. Two minutes, no blame, and the list is already changing how we store things.', { endorsedBy: ['rosa', 'dmitri', 'ana'] }],
  [4, 'kofi', 'inclusive-meetings', 'insight', 'Rotating who takes notes changed who speaks. The note-taker used to be the same junior colleague every week.', { endorsedBy: ['fatima'] }],
  [4, 'lucas', 'customer-calls', 'insight', 'BUY CHEAP HEADSETS at my cousin\'s shop, best prices, message me!!!', { hide: true, endorsedBy: ['jonas'] }],
  [3, 'fatima', 'phishing-awareness', 'insight', 'The fake invoice in the exercise used our real supplier\'s logo. Checking the sender\'s domain is the only thing that gave it away.', { endorsedBy: ['henrik', 'mei'] }],
  [3, 'claire', 'securite-routiere', 'commitment', 'Quand je rentre après 20 h, je prendrai le train au lieu de la voiture.', { outcome: 'done', outcomeDaysAgo: 0 }],
  [2, 'jonas', 'first-aid-basics', 'commitment', 'When I start my next shift, I will check that the first-aid kit on our floor is complete.', { outcome: 'partly', outcomeDaysAgo: 0 }],
  [2, 'ines', 'inclusive-meetings', 'question', 'Does anyone have a good way to include the colleagues who join by video?', { tag: 'video' }],
  [2, 'ana', 'inclusive-meetings', 'tip', 'Call on the video participants first in every round; the room fills silences too quickly otherwise.', { replyTo: 'video', endorsedBy: ['ines', 'grace'] }],
  [1, 'henrik', 'phishing-awareness', 'leader_learning', 'I clicked a test phishing link myself this week. Telling the team straight away made two others report theirs.', { endorsedBy: ['fatima', 'kofi', 'rosa'] }],
  [1, 'dmitri', 'data-protection-101', 'tip', 'The secure share link expires after seven days by default: set it shorter for anything with personal data.', { endorsedBy: ['lucas'] }],
  [1, 'tom', 'first-aid-basics', 'insight', 'I signed up for the full first-aid course after this module. Three places left for March.'],
  [0, 'priya', 'fire-safety-101', 'commitment', 'When the alarm test runs on Friday, I will leave by the stairs I do not usually take.'],
  [8, 'sam', 'fire-safety-101', 'commitment', 'When I next get to my desk in the morning, I will check where the nearest extinguisher hangs.'],
  [9, 'kofi', 'fire-safety-101', 'resource', 'The fire service\'s 2-minute video on using an extinguisher (PASS) is worth it: https://www.youtube.com/watch?v=lUojO1HvC8c'],
  [0, 'mei', 'customer-calls', 'insight', 'Ending with "is there anything else I can do today?" turned two complaints into thank-yous this week.', { endorsedBy: ['henrik'] }],
  [0, 'grace', 'feedback-basics', 'leader_learning', 'I asked my team for feedback on my one-to-ones. The most useful answer: fewer status updates, more questions. Changing it from next week.'],
];

let URL_BASE = 'http://127.0.0.1:8080';

async function request(method, path, body, token) {
  const send = () => fetch(URL_BASE + '/api/v1' + path, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: 'Bearer ' + token } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  // A kept-alive connection the server closed just as it was reused fails without an answer;
  // every write here is idempotent (ids chosen here), so it is simply sent again.
  const res = await send().catch(() => new Promise((r) => setTimeout(r, 200)).then(send));
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (e) { /* reported below */ }
  return { status: res.status, body: json, retryAfter: Number(res.headers.get('Retry-After') || 0) };
}

const tokens = new Map();
async function tokenOf(person) {
  if (!tokens.has(person)) {
    const r = await request('POST', '/dev/token', PEOPLE[person]);
    if (r.status !== 200) throw new Error(`dev token for ${person}: HTTP ${r.status} (is the server running with --dev?)`);
    tokens.set(person, r.body.token);
  }
  return tokens.get(person);
}

// A write as `person`, waiting out the per-user write limit.
async function write(person, method, path, body) {
  for (;;) {
    const r = await request(method, path, body, await tokenOf(person));
    if (r.status === 429) {
      await new Promise((resolve) => setTimeout(resolve, Math.max(1, r.retryAfter) * 1000));
      continue;
    }
    if (r.status >= 300) throw new Error(`${method} ${path} as ${person}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }
}

async function setClock(daysAgo, hour) {
  // That day at `hour` UTC, as an offset from now (negative: the past).
  const now = Date.now();
  const target = new Date(now - daysAgo * DAY);
  target.setUTCHours(hour, (daysAgo * 17) % 60, 0, 0);
  const offset = Math.min(0, target.getTime() - now);
  const r = await request('PUT', '/dev/clock', { offset_ms: offset });
  if (r.status !== 200) throw new Error(`the dev clock: HTTP ${r.status}`);
}

async function waitForServer(waitSeconds) {
  const deadline = Date.now() + waitSeconds * 1000;
  for (;;) {
    try {
      const r = await fetch(URL_BASE + '/api/v1/health');
      if (r.ok) return;
    } catch (e) { /* not up yet */ }
    if (Date.now() >= deadline) throw new Error(`no Grove server answers at ${URL_BASE}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

// Seeds the server at `url`; resolves to what it did ({posts, writes}, or {skipped: true}).
export async function seed({ url = 'http://127.0.0.1:8080', wait = 0, force = false } = {}) {
  URL_BASE = url.replace(/\/+$/, '');
  tokens.clear();
  await waitForServer(wait);
  if (!force) {
    const r = await request('GET', '/counts?modules=' + Object.keys(MODULES).join(','), undefined, await tokenOf('rosa'));
    if (r.status === 200 && Object.values(r.body.counts || {}).some((c) => c.posts > 0)) {
      return { skipped: true };
    }
  }
  const tags = new Map();
  const later = [];   // endorsements and outcomes, written once every post exists
  let hour = 8;
  try {
    for (const [i, [daysAgo, author, module, kind, body, extra = {}]] of POSTS.entries()) {
      hour = 8 + ((i * 5) % 9);
      await setClock(daysAgo, hour);
      const post = { id: `demo-${module}-${i}`, kind, body, module_title: MODULES[module] };
      if (extra.replyTo) post.parent_id = tags.get(extra.replyTo);
      const stored = await write(author, 'POST', `/modules/${module}/posts`, post);
      if (extra.tag) tags.set(extra.tag, stored.id);
      for (const [j, who] of (extra.endorsedBy || []).entries()) {
        later.push({ daysAgo: Math.max(0, daysAgo - 1 - (j % 2)), run: () => write(who, 'PUT', `/posts/${stored.id}/endorsement`) });
      }
      if (extra.outcome) {
        later.push({ daysAgo: extra.outcomeDaysAgo, run: () => write(author, 'PUT', `/posts/${stored.id}/outcome`, { outcome: extra.outcome, note: '' }) });
      }
      if (extra.hide) later.push({ daysAgo: Math.max(0, daysAgo - 1), run: () => write('rosa', 'PATCH', `/posts/${stored.id}`, { hidden: true }) });
    }
    for (const [k, [module, title, url, note]] of RESOURCES.entries()) {
      later.push({ daysAgo: 20 - k, run: () => write('rosa', 'POST', `/modules/${module}/resources`,
        { id: `demo-res-${module}-${k}`, title, url, note, module_title: MODULES[module] }) });
    }
    later.sort((a, b) => b.daysAgo - a.daysAgo);
    for (const w of later) {
      await setClock(w.daysAgo, 17);
      await w.run();
    }
  } finally {
    await request('PUT', '/dev/clock', { offset_ms: 0 });
  }
  return { posts: POSTS.length, writes: later.length, resources: RESOURCES.length };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const opt = (name, fallback) => {
    const i = args.indexOf('--' + name);
    return i >= 0 && args[i + 1] && !args[i + 1].startsWith('--') ? args[i + 1] : fallback;
  };
  seed({ url: opt('url', 'http://127.0.0.1:8080'), wait: Number(opt('wait', '0')), force: args.includes('--force') }).then((r) => {
    console.log(r.skipped ? 'seed_demo: the demo modules already have posts; nothing to do (--force seeds anyway)'
      : `seed_demo: ${r.posts} posts in ${Object.keys(MODULES).length} modules over four weeks, ` +
        `${r.writes} endorsements, check-in answers, resources and moderation decisions`);
  }, (e) => {
    console.error('seed_demo: ' + e.message);
    process.exit(1);
  });
}
