/* Snippet builder for intranet editors: a form -> the embed snippet (docs/EMBEDDING.md) and a
 * live preview. The preview is a real mount element on this page: changing its data-grove-*
 * attributes makes the loader remount it, so invalid values show the loader's own message.
 * Field checks are the loader's too (Grove.check), so the form and the widget never disagree. */
(function () {
  'use strict';
  var DEFAULT_HEIGHT = '640px';
  var PREVIEW_DELAY_MS = 400;   // a remount per keystroke would churn GL contexts

  function $(id) { return document.getElementById(id); }

  var fields, preview, snippetBox, copyStatus, previewTimer = null;

  function values() {
    return {
      module: fields.module.value.trim(),
      prompt: fields.prompt.value.trim().replace(/\s+/g, ' '),
      title: fields.title.value.trim().replace(/\s+/g, ' '),
      theme: fields.theme.value,
      accent: fields.accent.value.trim(),
      height: fields.height.value.trim(),
      server: fields.server.value.trim().replace(/\/+$/, ''),
      tokenUrl: fields.tokenUrl.value.trim() || '/sso/grove-token',
      includeConfig: fields.includeConfig.checked,
    };
  }

  // The mount element's attributes, leaving out what equals the default.
  function attributes(v) {
    var a = [['data-grove-module', v.module]];
    if (v.prompt) a.push(['data-grove-prompt', v.prompt]);
    if (v.title) a.push(['data-grove-title', v.title]);
    if (v.theme !== 'auto') a.push(['data-grove-theme', v.theme]);
    if (v.accent) a.push(['data-grove-accent', v.accent]);
    if (v.height && v.height !== DEFAULT_HEIGHT) a.push(['data-grove-height', v.height]);
    return a;
  }

  function escapeAttribute(s) {
    return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  }

  // A JavaScript string literal that is also safe inside an inline <script>.
  function jsString(s) {
    return JSON.stringify(s).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  }

  function snippet(v) {
    var lines = [];
    if (v.includeConfig) {
      lines.push('<script>',
        '  window.GroveConfig = {',
        '    api: ' + jsString(v.server + '/api/v1') + ',',
        '    getToken: () => fetch(' + jsString(v.tokenUrl) + ').then(r => r.text())',
        '  };',
        '</script>');
    }
    var attrs = attributes(v).map(function (a, i) {
      return (i ? '     ' : '') + a[0] + '="' + escapeAttribute(a[1]) + '"';
    });
    lines.push('<div ' + attrs.join('\n') + '></div>');
    lines.push('<script src="' + escapeAttribute(v.server + '/widget/grove.js') + '" defer></script>');
    return lines.join('\n') + '\n';
  }

  // Problems per form field, from the loader's checks of a scratch element.
  function problems(v) {
    var found = {};
    var scratch = document.createElement('div');
    attributes(v).forEach(function (a) { scratch.setAttribute(a[0], a[1]); });
    if (!v.module) scratch.setAttribute('data-grove-module', '');
    if (window.Grove && window.Grove.check) {
      window.Grove.check(scratch).forEach(function (p) { found[p.field.replace('data-grove-', '')] = p.message; });
    }
    var url = null;
    try { url = new URL(v.server); } catch (e) { /* reported below */ }
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
      found.server = 'Give the Grove server\'s web address, like https://grove.intranet.example.';
    }
    return found;
  }

  function showProblems(found) {
    ['module', 'prompt', 'title', 'accent', 'height', 'server'].forEach(function (name) {
      var message = found[name] || '';
      var input = fields[name];
      $('f-' + name + '-problem').textContent = message.replace(/^data-grove-[a-z]+ /, 'This ');
      if (message) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
    });
  }

  function updatePreview(v) {
    previewTimer = null;
    var wanted = {};
    attributes(v).forEach(function (a) { wanted[a[0]] = a[1]; });
    if (!v.module) wanted['data-grove-module'] = '';
    ['data-grove-module', 'data-grove-prompt', 'data-grove-title', 'data-grove-theme', 'data-grove-accent',
      'data-grove-height'].forEach(function (name) {
      if (wanted[name] === undefined) preview.removeAttribute(name);
      else if (preview.getAttribute(name) !== wanted[name]) preview.setAttribute(name, wanted[name]);
    });
    $('preview-frame').classList.toggle('dark-page', v.theme === 'dark');
    if (window.Grove) window.Grove.mount(preview);   // no-op when mounted: the loader remounts on changes
  }

  function update(immediate) {
    var v = values();
    snippetBox.value = snippet(v);
    fitSnippet();
    showProblems(problems(v));
    say('');
    if (previewTimer) clearTimeout(previewTimer);
    if (immediate) updatePreview(v);
    else previewTimer = setTimeout(function () { updatePreview(values()); }, PREVIEW_DELAY_MS);
  }

  // The whole snippet stays in view: editors should see what they copy.
  function fitSnippet() {
    snippetBox.style.height = 'auto';
    snippetBox.style.height = (snippetBox.scrollHeight + 2) + 'px';
  }

  function say(text, warn) {
    copyStatus.textContent = text;
    copyStatus.classList.toggle('warn', !!warn);
  }

  function copy() {
    var v = values();
    var found = problems(v);
    if (Object.keys(found).length) {
      say('Fix the fields marked in red first.', true);
      return;
    }
    var text = snippet(v);
    var fallback = function () {
      snippetBox.focus();
      snippetBox.select();
      var ok = false;
      try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
      say(ok ? 'Copied. Paste it into the page\'s HTML.' : 'Press Ctrl+C (Cmd+C on a Mac) to copy the selected snippet.', !ok);
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () {
        say('Copied. Paste it into the page\'s HTML.');
      }, fallback);
    } else {
      fallback();
    }
  }

  function init() {
    fields = {
      module: $('f-module'), prompt: $('f-prompt'), title: $('f-title'), theme: $('f-theme'), accent: $('f-accent'),
      height: $('f-height'), server: $('f-server'), tokenUrl: $('f-token-url'), includeConfig: $('f-config'),
    };
    preview = $('preview');
    snippetBox = $('snippet');
    copyStatus = $('copy-status');
    if (!fields.server.value) fields.server.value = location.origin;

    var picker = $('f-accent-picker');
    picker.addEventListener('input', function () { fields.accent.value = picker.value; update(false); });
    fields.accent.addEventListener('input', function () {
      if (/^#[0-9a-fA-F]{6}$/.test(fields.accent.value.trim())) picker.value = fields.accent.value.trim().toLowerCase();
    });
    $('builder-form').addEventListener('input', function () { update(false); });
    $('builder-form').addEventListener('change', function () { update(false); });
    $('builder-form').addEventListener('submit', function (e) { e.preventDefault(); });
    $('copy').addEventListener('click', copy);
    window.addEventListener('resize', fitSnippet);
    update(true);
  }

  // Runs before the deferred loader's own DOMContentLoaded mount, so the preview mounts with
  // the form's values right away.
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
