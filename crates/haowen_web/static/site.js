// Progressive enhancement only: every page reads and works without this file.
// Copy link: copies the article URL and counts the share.
(function () {
  document.querySelectorAll('.copy-link').forEach(function (btn) {
    btn.hidden = false;
    btn.addEventListener('click', function () {
      var status = btn.parentElement.querySelector('.copy-status');
      var done = function () {
        if (status) status.textContent = '已复制链接';
        fetch(btn.dataset.share, { method: 'POST' }).then(function (r) { return r.ok ? r.json() : null; })
          .then(function (j) {
            var c = document.querySelector('.share-count');
            if (j && c) c.textContent = '(' + j.shares + ')';
          }).catch(function () {});
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(btn.dataset.url).then(done, function () { fallback(); });
      } else { fallback(); }
      function fallback() {
        var input = document.getElementById('share-url');
        input.select();
        try { document.execCommand('copy'); done(); } catch (e) { if (status) status.textContent = '请手动复制上面的链接'; }
      }
    });
  });
})();
