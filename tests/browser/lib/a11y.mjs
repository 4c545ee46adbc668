// What assistive technology gets from a page: Chromium's own accessibility tree (CDP), the
// focused node in it, and axe-core's WCAG checks (npm axe-core, pinned in package.json).
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFile(require.resolve('axe-core/axe.min.js'), 'utf8');

// Chromium's accessibility tree of the page: [{role, name, description, props, backendDOMNodeId,
// ignored}], with props as a plain object (focused, pressed, expanded, setsize, posinset, ...).
export async function axTree(page) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { nodes } = await cdp.send('Accessibility.getFullAXTree');
    return nodes.map((n) => ({
      role: n.role && n.role.value,
      name: n.name ? String(n.name.value) : '',
      description: n.description ? String(n.description.value) : '',
      props: Object.fromEntries((n.properties || []).map((p) => [p.name, p.value && p.value.value])),
      backendDOMNodeId: n.backendDOMNodeId,
      ignored: n.ignored,
    }));
  } finally {
    await cdp.detach();
  }
}

// The focused node of the accessibility tree, and the data-c (widget control id) of its element.
export async function focusedAx(page) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { nodes } = await cdp.send('Accessibility.getFullAXTree');
    // The document itself is "focused" too while the page has focus: the node inside it is meant.
    const node = nodes.filter((n) => !n.ignored && n.role && n.role.value !== 'RootWebArea' &&
      (n.properties || []).some((p) => p.name === 'focused' && p.value.value)).pop();
    if (!node) return null;
    let control = null;
    if (node.backendDOMNodeId) {
      const { object } = await cdp.send('DOM.resolveNode', { backendNodeId: node.backendDOMNodeId });
      const r = await cdp.send('Runtime.callFunctionOn', {
        objectId: object.objectId, functionDeclaration: 'function () { return this.getAttribute && this.getAttribute("data-c"); }',
        returnByValue: true,
      });
      control = r.result.value;
    }
    return { role: node.role && node.role.value, name: node.name ? String(node.name.value) : '', control };
  } finally {
    await cdp.detach();
  }
}

// axe-core on the page (or `selector`), WCAG 2.0 A/AA and 2.1 AA rules: the violations, each
// with its rule id, impact and the elements it found.
export async function axe(page, selector = 'body') {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ content: await AXE_SOURCE });
  return page.evaluate(async (sel) => {
    const r = await window.axe.run(document.querySelector(sel), {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa'] },
      resultTypes: ['violations'],
    });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => n.html.slice(0, 200) + ' :: ' + n.failureSummary) }));
  }, selector);
}
