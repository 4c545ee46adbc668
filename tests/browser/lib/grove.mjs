// The setup every browser test file shares: what it needs started once for the whole file (the
// intranet server, grove-server, a browser), and everything stopped again after its last test,
// with a check that no process the file started is still running then.
//
//   const { server, browser, dev } = await useGrove({ serverArgs: ['--writes-per-minute', '1000000'] });
//
// Call it at the top level of the test file (top-level await): it starts what it is asked for
// and registers an after() hook that stops it. If anything fails to start, what did start is
// stopped before the error is thrown.
import { after } from 'node:test';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, launchBrowser, recordGroveEvents } from './harness.mjs';
import { devApi } from './dev_people.mjs';
import { startIntranet } from './intranet_server.mjs';

// options:
//   server      false: no grove-server (default: one, --dev unless a secret is given)
//   serverArgs  grove-server's extra arguments, or a function of {intranet, site} returning them
//   secret      a JWT secret: written to a file of its own, given as --jwt-secret-file
//   intranet    routes of lib/intranet_server.mjs: the intranet is started first, so that
//               serverArgs can name its origin (--allow-origin)
//   site        true: a folder for host pages ({dir, write(name, html)}), given as --site-dir
//   browser     'chromium' (default), 'firefox' (Firefox ESR through puppeteer-core) or false
//   browserArgs Chromium's extra command-line arguments
// Resolves to {server, browser, dev, intranet, site, secretFile, startServer, newPage}:
//   dev               lib/dev_people.mjs's devApi for the server
//   startServer(args) one more grove-server, stopped with the rest
//   newPage(options)  a new Chromium context (options: browser.newContext's) that records grove:*
//                     events, and its page: {context, page, errors} (errors: the page's exceptions)
export async function useGrove({ server = true, serverArgs = [], secret, intranet, site, browser = 'chromium',
  browserArgs = [] } = {}) {
  const stops = [];   // in start order; stopped in reverse
  const grove = {};
  const teardown = async () => {
    let failure;
    for (const stop of stops.reverse()) {
      try { await stop(); } catch (e) { failure ??= e; }
    }
    stops.length = 0;
    if (failure) throw failure;
    await noChildLeft();
  };
  after(teardown);
  try {
    if (intranet) {
      grove.intranet = await startIntranet(intranet);
      stops.push(() => grove.intranet.close());
    }
    if (site) {
      const { siteDir } = await import('./firefox.mjs');
      grove.site = await siteDir();
      stops.push(() => grove.site.remove());
    }
    if (secret !== undefined) {
      const dir = await mkdtemp(join(tmpdir(), 'grove-secret-'));
      stops.push(() => rm(dir, { recursive: true, force: true }));
      grove.secretFile = join(dir, 'jwt-secret');
      await writeFile(grove.secretFile, secret + '\n');
    }
    grove.startServer = async (args = []) => {
      const s = await startServer(args);
      stops.push(() => s.stop());
      return s;
    };
    if (server) {
      const args = typeof serverArgs === 'function' ? serverArgs(grove) : serverArgs;
      grove.server = await grove.startServer([
        ...(grove.secretFile ? ['--jwt-secret-file', grove.secretFile] : []),
        ...(grove.site ? ['--site-dir', grove.site.dir] : []),
        ...args]);
      grove.dev = devApi(grove.server);
    }
    if (browser === 'firefox') {
      const { launchFirefox } = await import('./firefox.mjs');
      grove.browser = await launchFirefox();
    } else if (browser) {
      grove.browser = await launchBrowser(browserArgs);
    }
    if (grove.browser) {
      const b = grove.browser;
      stops.push(() => b.close());
    }
  } catch (e) {
    await teardown().catch(() => {});
    throw e;
  }
  grove.newPage = async (contextOptions = {}) => {
    const context = await grove.browser.newContext(contextOptions);
    await recordGroveEvents(context);
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    return { context, page, errors };
  };
  return grove;
}

// Every process this one started (grove-server, the browser) has exited: a test file that left
// one running would hold its port, its files and the machine's memory long after it ended.
async function noChildLeft(timeout = 5000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const left = await liveChildren();
    if (left.length === 0) return;
    if (Date.now() > deadline) {
      // Stopped here, by PID, so that the file fails now rather than hang until ctest's timeout.
      for (const c of left) { try { process.kill(c.pid, 'SIGKILL'); } catch { /* gone meanwhile */ } }
      throw new Error('still running after the tests: ' + left.map((c) => `${c.name} (pid ${c.pid})`).join(', '));
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

// This process's children that have not exited (zombies, exited but not yet reaped, are not).
async function liveChildren() {
  const children = [];
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    const m = stat.match(/^\d+ \((.*)\) (\S) (\d+)/s);
    if (m && Number(m[3]) === process.pid && m[2] !== 'Z') children.push({ pid: Number(pid), name: m[1] });
  }
  return children;
}
