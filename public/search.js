// Starts Pagefind's search UI on the search page. A file of its own (not an inline script) so the
// Content-Security-Policy can allow scripts from the site itself only.
(function () {
  var el = document.getElementById('search');
  if (!el || typeof PagefindUI === 'undefined') return;
  var config = JSON.parse(el.dataset.config);
  var ui = new PagefindUI({
    element: '#search',
    bundlePath: config.bundlePath,
    baseUrl: config.baseUrl,
    showSubResults: true,
    showImages: false,
    resetStyles: false,
    pageSize: 10,
    autofocus: true,
    openFilters: ['kind'],
  });
  var q = new URLSearchParams(location.search).get('q');
  if (q) {
    ui.triggerSearch(q);
    var input = el.querySelector('input');
    if (input) input.value = q;
    var box = document.getElementById('site-search');
    if (box) box.value = q;
  }
})();
