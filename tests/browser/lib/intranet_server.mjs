// A second web server on another loopback port: "the intranet", a different origin from
// grove-server, where embedding tests paste snippets exactly as an editor would.
import { createServer } from 'node:http';

// routes: { '/path': string (HTML) | {status, headers, body} | async (req, res) => void }
export async function startIntranet(routes = {}) {
  const server = createServer(async (req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    const route = routes[path];
    try {
      if (typeof route === 'function') return await route(req, res);
      if (typeof route === 'string') {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
        return res.end(route);
      }
      if (route) {
        res.writeHead(route.status || 200, { 'Cache-Control': 'no-store', ...(route.headers || {}) });
        return res.end(route.body || '');
      }
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found');
    } catch (e) {
      res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(String(e && e.stack));
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    url,
    routes,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}

// A bare page around an HTML fragment, the way an editor's paste ends up in a CMS page.
export function blankPage(bodyHtml, { head = '' } = {}) {
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Intranet page</title>${head}</head>\n` +
    `<body><h1>Module page</h1><p>Some module content.</p>\n${bodyHtml}\n</body></html>\n`;
}

// Full-page screenshot into $GROVE_SCREENSHOT_DIR (when set), to look at what a test saw.
export async function saveScreenshot(page, name) {
  const dir = process.env.GROVE_SCREENSHOT_DIR;
  if (dir) await page.screenshot({ path: `${dir}/${name}.png`, fullPage: true });
}
