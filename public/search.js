// Starts Pagefind's search UI on the search page. A file of its own (not an inline script) so the
// Content-Security-Policy can allow scripts from the site itself only.
// The query and the selected filters live in the URL (?q=lsass&kind=rule&level=high), so a search
// can be linked and survives a reload; the hidden `name` metadata (a rule's or technique's own
// title and id, see src/lib/site/search.ts) is weighted so that exact names rank first.
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
    showEmptyFilters: false,
    resetStyles: false,
    pageSize: 10,
    autofocus: true,
    openFilters: ['kind'],
    ranking: { metaWeights: { name: 20, title: 2 } },
    // `MD5=<hash>` as typed from a Sysmon Hashes field: search the value (indexed whole and bare).
    processTerm: function (term) {
      var m = /^\s*[A-Za-z0-9_-]{2,16}=(\S+)\s*$/.exec(term);
      return m ? m[1] : term;
    },
    processResult: function (result) {
      if (result.meta) delete result.meta.name;
      return result;
    },
  });

  var params = new URLSearchParams(location.search);
  var q = params.get('q') || '';
  var filters = {};
  params.forEach(function (value, key) {
    if (key === 'q' || !value) return;
    (filters[key] = filters[key] || []).push(value);
  });
  if (Object.keys(filters).length) ui.triggerFilters(filters);
  if (q) {
    ui.triggerSearch(q);
    var box = document.getElementById('site-search');
    if (box) box.value = q;
  }

  // Write the current query and filters back into the URL (replaceState: no history entry per key).
  var pending;
  function syncUrl() {
    clearTimeout(pending);
    pending = setTimeout(function () {
      var next = new URLSearchParams();
      var input = el.querySelector('.pagefind-ui__search-input');
      if (input && input.value) next.set('q', input.value);
      var shown = {};
      el.querySelectorAll('.pagefind-ui__filter-checkbox').forEach(function (box) {
        shown[box.name] = true;
        if (box.checked) next.append(box.name, box.value);
      });
      // A filter the UI has not drawn (yet) keeps what the URL asked for.
      Object.keys(filters).forEach(function (name) {
        if (!shown[name]) filters[name].forEach(function (value) { next.append(name, value); });
      });
      var query = next.toString();
      history.replaceState(null, '', location.pathname + (query ? '?' + query : ''));
    }, 150);
  }
  el.addEventListener('input', syncUrl);
  el.addEventListener('change', syncUrl);
})();
