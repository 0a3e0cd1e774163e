// 无障碍浏览 toolbar and read-aloud: our own code, no third-party script. Every page reads and
// works without it; with it, readers get text zoom, high contrast, a large cursor, a reading
// guide, a text-only view and read-aloud. Settings persist in localStorage.
(function () {
  'use strict';
  var KEY = 'hw-a11y';
  var ZOOMS = [1, 1.25, 1.5, 1.75, 2];
  var html = document.documentElement;
  var toolbar = document.getElementById('a11y-toolbar');
  var guide = document.querySelector('.a11y-guide');
  var baseFont = parseFloat(html.getAttribute('data-base-font')) || 16;
  var state = load();

  function load() {
    try { return Object.assign({ zoom: 0 }, JSON.parse(localStorage.getItem(KEY) || '{}')); }
    catch (e) { return { zoom: 0 }; }
  }
  function save() {
    try { localStorage.setItem(KEY, JSON.stringify(state)); } catch (e) { /* private mode */ }
  }
  function say(text) {
    var status = toolbar && toolbar.querySelector('.a11y-status');
    if (status) status.textContent = text;
  }
  function button(name) { return toolbar && toolbar.querySelector('[data-a11y="' + name + '"]'); }

  function apply() {
    html.style.fontSize = ZOOMS[state.zoom] === 1 && baseFont === 16 ? '' : (baseFont * ZOOMS[state.zoom]) + 'px';
    ['contrast', 'cursor', 'textonly'].forEach(function (k) {
      html.classList.toggle('a11y-' + k, !!state[k]);
      var b = button(k);
      if (b) b.setAttribute('aria-pressed', String(!!state[k]));
    });
    var g = button('guide');
    if (g) g.setAttribute('aria-pressed', String(!!state.guide));
    if (guide) guide.hidden = !state.guide;
    if (toolbar) toolbar.hidden = !state.open;
    html.classList.toggle('a11y-toolbar-open', !!state.open);
    document.querySelectorAll('.a11y-open').forEach(function (a) {
      a.setAttribute('aria-expanded', String(!!state.open));
    });
  }

  // Read aloud: the article (or the page's main text) in Chinese, sentence by sentence,
  // because long utterances stop early in some browsers.
  var speaking = false;
  function readAloud(selector, onChange) {
    if (!('speechSynthesis' in window)) return;
    if (speaking) { speechSynthesis.cancel(); speaking = false; onChange(false); return; }
    var root = document.querySelector(selector) || document.getElementById('main');
    var text = (root.innerText || '').replace(/\s+/g, ' ').trim();
    var parts = text.match(/[^。！？!?；;]+[。！？!?；;]?/g) || [text];
    speaking = true;
    onChange(true);
    parts.forEach(function (part, i) {
      var u = new SpeechSynthesisUtterance(part);
      u.lang = 'zh-CN';
      if (i === parts.length - 1) u.onend = function () { speaking = false; onChange(false); };
      speechSynthesis.speak(u);
    });
  }

  var actions = {
    'zoom-in': function () { state.zoom = Math.min(ZOOMS.length - 1, state.zoom + 1); say('文字 ' + ZOOMS[state.zoom] * 100 + '%'); },
    'zoom-out': function () { state.zoom = Math.max(0, state.zoom - 1); say('文字 ' + ZOOMS[state.zoom] * 100 + '%'); },
    contrast: function () { state.contrast = !state.contrast; say(state.contrast ? '已开启高对比度' : '已关闭高对比度'); },
    cursor: function () { state.cursor = !state.cursor; say(state.cursor ? '已开启大鼠标' : '已关闭大鼠标'); },
    guide: function () { state.guide = !state.guide; say(state.guide ? '已开启阅读辅助线' : '已关闭阅读辅助线'); },
    textonly: function () { state.textonly = !state.textonly; say(state.textonly ? '已切换到纯文本' : '已恢复图片'); },
    speak: function () {
      var b = button('speak');
      readAloud('.article-main', function (on) { b.setAttribute('aria-pressed', String(on)); say(on ? '正在朗读' : '已停止朗读'); });
    },
    reset: function () { state = { zoom: 0, open: true }; say('已恢复默认设置'); },
    close: function () {
      state.open = false;
      var opener = document.querySelector('.modes .a11y-open');
      save(); apply();
      if (opener) opener.focus();
    },
  };

  if (toolbar) {
    toolbar.addEventListener('click', function (e) {
      var b = e.target.closest('button[data-a11y]');
      if (!b) return;
      actions[b.getAttribute('data-a11y')]();
      save(); apply();
    });
    // Toolbar keyboard pattern: arrows move between buttons, Escape closes.
    toolbar.addEventListener('keydown', function (e) {
      var buttons = Array.prototype.slice.call(toolbar.querySelectorAll('button'));
      var i = buttons.indexOf(document.activeElement);
      if (e.key === 'Escape') { actions.close(); e.preventDefault(); return; }
      if (i < 0) return;
      var next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: buttons.length - 1 }[e.key];
      if (next === undefined) return;
      buttons[(next + buttons.length) % buttons.length].focus();
      e.preventDefault();
    });
  }
  document.querySelectorAll('.a11y-open').forEach(function (a) {
    a.addEventListener('click', function (e) {
      if (!toolbar) return;
      e.preventDefault();
      state.open = !state.open;
      save(); apply();
      if (state.open) toolbar.querySelector('button').focus();
    });
  });
  if (guide) {
    var move = function (y) { guide.style.top = Math.max(0, y - guide.offsetHeight / 2) + 'px'; };
    document.addEventListener('pointermove', function (e) { if (state.guide) move(e.clientY); });
    document.addEventListener('focusin', function (e) {
      if (state.guide && e.target.getBoundingClientRect) {
        var r = e.target.getBoundingClientRect();
        move(r.top + r.height / 2);
      }
    });
  }
  document.querySelectorAll('.read-aloud').forEach(function (b) {
    if (!('speechSynthesis' in window)) return;
    b.hidden = false;
    b.addEventListener('click', function () {
      readAloud(b.getAttribute('data-read'), function (on) {
        b.textContent = on ? '停止朗读' : '朗读全文';
        b.setAttribute('aria-pressed', String(on));
      });
    });
  });
  apply();
})();
