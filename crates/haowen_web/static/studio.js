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

// Images: file picker, paste and drag-and-drop upload to /studio/upload with the alt text the
// creator wrote; the returned Markdown goes in at the cursor.
(function () {
  'use strict';
  var form = document.querySelector('form.studio-form');
  var uploader = document.querySelector('form.image-upload');
  if (!form || !uploader) return;
  var body = form.querySelector('#f-body');
  var alt = uploader.querySelector('#f-image-alt');
  var picker = uploader.querySelector('#f-image-file');
  var status = uploader.querySelector('.upload-status');
  var csrf = form.querySelector('input[name=_csrf]').value;
  uploader.addEventListener('submit', function (e) {
    e.preventDefault();
    if (picker.files[0]) upload(picker.files[0]); else status.textContent = '请选择一张图片。';
  });

  function insert(text) {
    var start = body.selectionStart, end = body.selectionEnd;
    // Blank lines around it: an image alone in its paragraph becomes a figure with a caption.
    body.value = body.value.slice(0, start) + '\n\n' + text + '\n\n' + body.value.slice(end);
    body.dispatchEvent(new Event('input'));
  }
  function upload(file) {
    var description = alt.value.trim();
    if (!description) {
      status.textContent = '请先填写图片说明（替代文字）。';
      alt.focus();
      return;
    }
    var data = new FormData();
    data.append('_csrf', csrf);
    data.append('alt', description);
    data.append('file', file);
    status.textContent = '正在上传…';
    fetch('/studio/upload', { method: 'POST', body: data, credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, j: j }; }); })
      .then(function (res) {
        if (!res.ok) { status.textContent = (res.j.error && res.j.error.message) || '上传失败'; return; }
        var asCover = uploader.querySelector('#f-image-cover');
        if (asCover && asCover.checked) {
          form.querySelector('#f-cover').value = res.j.url;
          // The upload is the cover now: no picker choice overrides it.
          form.querySelectorAll('input[name="cover_pick"]').forEach(function (r) { r.checked = false; });
          asCover.checked = false;
          status.textContent = '封面图已设置。';
        } else {
          insert(res.j.markdown);
          status.textContent = '图片已插入正文。';
        }
        alt.value = '';
      })
      .catch(function () { status.textContent = '上传失败，请检查网络后重试。'; });
  }
  picker.addEventListener('change', function () { if (picker.files[0]) { upload(picker.files[0]); picker.value = ''; } });
  body.addEventListener('paste', function (e) {
    var item = Array.prototype.find.call(e.clipboardData ? e.clipboardData.files : [], function (f) { return /^image\//.test(f.type); });
    if (item) { e.preventDefault(); upload(item); }
  });
  body.addEventListener('dragover', function (e) { e.preventDefault(); });
  body.addEventListener('drop', function (e) {
    var file = e.dataTransfer && e.dataTransfer.files[0];
    if (file && /^image\//.test(file.type)) { e.preventDefault(); upload(file); }
  });
})();
