// Creator studio enhancements: live preview (same renderer and sanitizer as the article page,
// on the server) and automatic draft saving. Without this file the 预览 and 保存草稿 buttons do
// the same through plain form posts.
(function () {
  'use strict';
  var form = document.querySelector('form.studio-form');
  if (!form) return;
  var body = form.querySelector('#f-body');
  var preview = document.getElementById('studio-preview');
  var status = form.querySelector('.autosave-status');
  var csrf = form.querySelector('input[name=_csrf]').value;
  var timer = null;
  var lastSaved = new FormData(form).toString();

  function refreshPreview() {
    var data = new URLSearchParams({ _csrf: csrf, body: body.value });
    fetch(form.getAttribute('data-preview'), { method: 'POST', body: data, credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) { if (html !== null) preview.innerHTML = html; })
      .catch(function () {});
  }
  body.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(refreshPreview, 300);
  });

  // Autosave drafts every 20 s when something changed. Published articles are not autosaved
  // (saving them as a draft would take them offline); their authors save by hand.
  var badge = document.querySelector('.status-badge');
  var draftish = !badge || badge.textContent === '新文章' || badge.textContent === '草稿';
  function snapshot() { return new URLSearchParams(new FormData(form)).toString(); }
  lastSaved = snapshot();
  setInterval(function () {
    if (!draftish) return;
    var now = snapshot();
    if (now === lastSaved || !form.querySelector('#f-title').value.trim()) return;
    var data = new URLSearchParams(new FormData(form));
    data.set('action', 'draft');
    fetch(form.getAttribute('action'), { method: 'POST', body: data, credentials: 'same-origin', headers: { 'X-Autosave': '1' } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (j) {
        if (!j) return;
        lastSaved = now;
        if (j.edit && form.getAttribute('action') !== j.edit) {
          form.setAttribute('action', j.edit);
          history.replaceState(null, '', j.edit);
        }
        status.textContent = '草稿已自动保存 ' + new Date().toLocaleTimeString('zh-CN');
      })
      .catch(function () {});
  }, 20000);
})();
