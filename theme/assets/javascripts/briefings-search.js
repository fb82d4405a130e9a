// Our search UI on Pagefind's JS API (extra.briefings.search: pagefind, the
// default). Nothing of Pagefind loads with the page, nor when the panel opens:
// pagefind.js is imported when the reader types a first character (or opens
// the filters, or arrives with ?q=). The filter files (topic, outlet, country,
// year) are fetched only when the reader opens the "Filter" panel, not for a
// plain search: Pagefind's own UI loads them all at start. Each result shows
// its headline, outlet (or "Story" and its sources), date and topics, from the
// page's data-pagefind-meta and -filter (theme/main.html); "Sort" orders them
// by relevance or by date (data-pagefind-sort). The bundle is at
// <site root>/pagefind/; the site root, which result links need under a
// subpath such as /repo/, is read off this script's own address
// (<root>/assets/javascripts/briefings-search.js).
(function () {
  "use strict";
  var panel = document.querySelector("[data-bf-search]");
  var self = document.currentScript;
  var host = panel && panel.querySelector("#bf-search");
  if (!host || !self) return;
  var root = new URL("../../", self.src);
  var label = panel.querySelector("summary").getAttribute("aria-label");
  var FILTERS = ["topic", "outlet", "country", "year"];
  var SORTS = [["", "Best match"], ["desc", "Newest first"], ["asc", "Oldest first"]];
  var PAGE = 5;  // results shown at once, as Pagefind's UI: each one fetches its fragment
  // Our own debounce around pagefind.search, not pagefind.debouncedSearch:
  // that one preloads the index chunks of every prefix typed on the way (one
  // more ~34 KB chunk for a typed "Taiwan election" at 10,000 articles).
  var DEBOUNCE_MS = 300;
  var timer = 0;
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];
  var pagefind = null, loading = null, ui = null, shards = [], merged = 0, oldest = 0, widening = null;
  var found = [], shown = 0, searchId = 0, filtersLoaded = false;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = text;  // text, never HTML
    return node;
  }

  // Pagefind's excerpt is page text with <mark> around the matched words.
  // Parsed inertly (DOMParser runs no script, loads nothing) and rebuilt
  // from its text: only <mark> survives, anything else becomes plain text.
  function excerpt(html) {
    var out = el("p", "bf-search__excerpt");
    var body = new DOMParser().parseFromString(html || "", "text/html").body;
    body.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") out.appendChild(el("mark", null, node.textContent));
      else out.appendChild(document.createTextNode(node.textContent));
    });
    return out;
  }

  function build() {
    ui = {
      input: el("input", "bf-search__input"),
      tools: el("div", "bf-search__tools"),
      sort: el("select", "bf-search__sort"),
      filters: el("details", "bf-search__filters"),
      groups: el("div", "bf-search__groups"),
      status: el("p", "bf-search__status"),
      results: el("ol", "bf-search__results"),
      more: el("button", "bf-search__more", "More results"),
      wider: el("button", "bf-search__wider", "Search the whole archive")
    };
    ui.input.type = "search";
    ui.input.placeholder = "Search the briefings";
    ui.input.autocomplete = "off";
    ui.input.spellcheck = false;
    ui.input.setAttribute("aria-label", label);
    var sortLabel = el("label", "bf-search__sort-label", "Sort ");
    sortLabel.appendChild(ui.sort);
    SORTS.forEach(function (pair) {
      var option = el("option", null, pair[1]);
      option.value = pair[0];
      ui.sort.appendChild(option);
    });
    ui.filters.appendChild(el("summary", "bf-search__filters-toggle", "Filter"));
    ui.filters.appendChild(ui.groups);
    ui.tools.appendChild(sortLabel);
    ui.tools.appendChild(ui.filters);
    ui.status.setAttribute("role", "status");  // a polite live region: announces the counts
    [ui.more, ui.wider].forEach(function (button) {
      button.type = "button";
      button.hidden = true;
    });
    [ui.input, ui.tools, ui.status, ui.results, ui.more, ui.wider].forEach(function (n) { host.appendChild(n); });
    ui.input.addEventListener("input", run);
    ui.input.addEventListener("keydown", function (event) {
      var first = ui.results.querySelector("a");
      if (event.key === "ArrowDown" && first) { event.preventDefault(); first.focus(); }
    });
    ui.results.addEventListener("keydown", function (event) {
      var links = Array.prototype.slice.call(ui.results.querySelectorAll("a"));
      var i = links.indexOf(document.activeElement);
      if (i < 0 || (event.key !== "ArrowDown" && event.key !== "ArrowUp")) return;
      event.preventDefault();
      var next = event.key === "ArrowDown" ? links[i + 1] : (i ? links[i - 1] : ui.input);
      if (next) next.focus();
    });
    ui.more.addEventListener("click", function () { show(searchId); });
    ui.wider.addEventListener("click", function () {
      widen(shards.length);
      run();
    });
    ui.sort.addEventListener("change", run);
    ui.filters.addEventListener("toggle", function () {
      if (ui.filters.open && !filtersLoaded) loadFilters();
    });
  }

  // A large archive's index comes in shards by date (engine/searchshards.py):
  // pagefind/briefings-shards.json lists them, newest first; the first is the
  // bundle at pagefind/, the others are merged into it (sharing its wasm) as a
  // search needs them, each tagged with a "shard" filter so that a search can
  // ask one shard alone. A search starts with the newest shard: each shard adds
  // its metadata and an index chunk per word to what the reader downloads
  // (about 40 KB at 10,000 articles; megabytes before a first result at
  // 100,000). While the merged shards give fewer results than a screen shows,
  // as many older ones again are merged (1, 2, 4...: a rare word reaches the
  // oldest of 32 shards in 5 rounds of requests, not 31); all of them when the
  // reader asks for the whole archive. Sorted oldest first, the same is done
  // from the other end: the oldest shard, then as many newer ones again (1, 2, 4...).
  function load() {
    if (!loading) {
      var bundle = new URL("pagefind/", root);
      var listed = fetch(new URL("briefings-shards.json", bundle).href).then(function (response) {
        return response.ok ? response.json() : { shards: [] };
      }).catch(function () { return { shards: [] }; });
      loading = Promise.all([import(new URL("pagefind.js", bundle).href), listed]).then(function (got) {
        pagefind = got[0];
        shards = ((got[1] && got[1].shards) || []).map(function (shard) {
          return { key: shard.key, path: new URL(shard.path, bundle).pathname };
        });
        var first = { baseUrl: root.pathname };
        if (shards.length > 1) first.mergeFilter = { shard: shards[0].key };
        return pagefind.options(first).then(function () { return pagefind.init(); }).then(function () {
          merged = 1;
          widening = Promise.resolve();
        });
      });
      loading.catch(function () { loading = null; });  // offline or missing bundle: try again later
    }
    return loading;
  }

  // Merge the shards after those merged, up to the n newest (never one merged
  // from the oldest end). Pagefind adds each merged index to its list at once,
  // in the order asked: none is merged twice.
  function widen(n) {
    return mergeShards(shards.slice(merged, Math.min(n, shards.length - oldest)), function () {
      merged = Math.max(merged, Math.min(n, shards.length - oldest));
    });
  }

  // The same from the oldest end (for "Oldest first"), up to the n oldest.
  function widenOldest(n) {
    var end = shards.length - oldest;
    return mergeShards(shards.slice(Math.max(merged, shards.length - n), end).reverse(), function () {
      oldest = Math.max(oldest, Math.min(n, shards.length - merged));
    });
  }

  function mergeShards(more, count) {
    var merging = more.map(function (shard) {
      return pagefind.mergeIndex(shard.path, { baseUrl: root.pathname, mergeFilter: { shard: shard.key } });
    });
    count();
    if (merged + oldest >= shards.length) { merged = shards.length; oldest = 0; }  // the two ends met
    widening = Promise.all([widening].concat(merging));
    return widening;
  }

  // The shards a search covers, newest first: the newest merged, or with
  // "Oldest first" the oldest merged.
  function covered(asc) {
    return asc && oldest ? shards.slice(shards.length - oldest) : shards.slice(0, merged);
  }

  // The merged shards' results; while they are fewer than a screen and older
  // shards are left, as many more are merged as are merged, and the search run again.
  function fill(id, term, options) {
    var asc = !!options.sort && options.sort.date === "asc";
    if (asc && !oldest && merged < shards.length) {  // the oldest results are in the oldest shard
      return widenOldest(1).then(function () { return fill(id, term, options); });
    }
    return widening.then(function () { return searchAll(term, options); }).then(function (search) {
      if (id !== searchId || search.results.length >= PAGE || merged >= shards.length) return search;
      var next = asc && oldest ? widenOldest(oldest * 2) : widen(merged * 2);
      return next.then(function () { return fill(id, term, options); });
    });
  }

  // A shard's key is a year ("2024"), a month ("2024-03"), or its first and
  // last ("2015_2016"): the merged shards cover the archive since the start of
  // the oldest one's.
  function since(key) {
    return month(key.split("_")[0]);
  }

  function until(key) {
    return month(key.split("_").pop());
  }

  function month(part) {
    var date = part.split("-");
    return date[1] ? MONTHS[Number(date[1]) - 1] + " " + date[0] : date[0];
  }

  // What a search covers while some shards are not merged: since the start of the
  // oldest merged from the newest end, or up to the end of the newest merged from the oldest.
  function coverage(asc) {
    if (merged >= shards.length) return "";
    if (asc && oldest) return " up to " + until(shards[shards.length - oldest].key);
    return " since " + since(shards[merged - 1].key);
  }

  // Pagefind merges the shards' results by score, and with a sort a result's
  // score is its place in its own shard's order: merged, the dates would
  // interleave. Sorted by date, each merged shard is searched alone, in date
  // order (shards never overlap in dates), and the lists are put end to end.
  function searchAll(term, options) {
    var asc = !!options.sort && options.sort.date === "asc";
    var searched = covered(asc);
    if (searched.length < 2 || !options.sort) {
      if (oldest) {  // merged from both ends: only the shards at this search's end
        var only = { any: searched.map(function (shard) { return shard.key; }) };
        options = Object.assign({}, options, { filters: Object.assign({}, options.filters, { shard: only }) });
      }
      return pagefind.search(term, options);
    }
    var order = asc ? searched.slice().reverse() : searched;
    return Promise.all(order.map(function (shard) {
      var filters = Object.assign({}, options.filters, { shard: shard.key });
      return pagefind.search(term, { filters: filters, sort: options.sort });
    })).then(function (searches) {
      return { results: [].concat.apply([], searches.map(function (s) { return s.results; })) };
    });
  }

  // Each filter's values and counts over the whole archive. With shards, the
  // build writes them beside the shards' list (pagefind/briefings-filters.json),
  // so none is merged for them; without that file, every shard is merged.
  function filterCounts() {
    if (shards.length < 2) return pagefind.filters();
    return fetch(new URL("pagefind/briefings-filters.json", root).href).then(function (response) {
      if (!response.ok) throw new Error("no filter counts");
      return response.json();
    }).catch(function () {
      return widen(shards.length).then(function () { return pagefind.filters(); });
    });
  }

  function loadFilters() {
    filtersLoaded = true;
    ui.groups.textContent = "Loading filters…";
    load().then(filterCounts).then(function (all) {
      ui.groups.textContent = "";
      FILTERS.forEach(function (name) {
        var values = Object.keys(all[name] || {});
        if (!values.length) return;
        values.sort(name === "year" ? function (a, b) { return b.localeCompare(a); }
          : function (a, b) { return all[name][b] - all[name][a] || a.localeCompare(b); });
        var group = el("fieldset", "bf-search__group");
        group.appendChild(el("legend", null, name));
        values.forEach(function (value) {
          var box = el("input");
          box.type = "checkbox";
          box.value = value;
          box.dataset.filter = name;
          var option = el("label", "bf-search__option");
          option.appendChild(box);
          option.appendChild(document.createTextNode(" " + value + " "));
          option.appendChild(el("span", "bf-search__count", "(" + all[name][value] + ")"));
          group.appendChild(option);
        });
        ui.groups.appendChild(group);
      });
    }, function () {
      filtersLoaded = false;
      ui.groups.textContent = "The filters could not be loaded.";
    });
  }

  function currentFilters() {
    var filters = {};
    host.querySelectorAll(".bf-search__group input:checked").forEach(function (box) {
      (filters[box.dataset.filter] = filters[box.dataset.filter] || { any: [] }).any.push(box.value);
    });
    return filters;
  }

  function run() {
    var id = ++searchId;
    clearTimeout(timer);
    var term = ui.input.value.trim();
    var selected = currentFilters();
    var filtering = Object.keys(selected).length > 0;
    if (!term && !filtering) {
      ui.results.textContent = "";
      ui.status.textContent = "";
      ui.more.hidden = true;
      ui.wider.hidden = true;
      return;
    }
    timer = setTimeout(function () {
      load().then(function () {
        var options = { filters: selected };
        if (ui.sort.value) options.sort = { date: ui.sort.value };
        return id === searchId ? fill(id, term || null, options) : null;
      }).then(function (search) {
        if (!search || id !== searchId) return;  // a newer search replaced this one
        found = search.results;
        shown = 0;
        ui.results.textContent = "";
        var n = found.length;
        var partial = merged < shards.length;
        ui.status.textContent = (n ? n + (n === 1 ? " result" : " results") : "No results") +
          (term ? " for “" + term + "”" : "") + coverage(ui.sort.value === "asc") +
          (filtering ? " (filtered)" : "");
        ui.wider.hidden = !partial;
        return show(id);
      }).catch(function () { ui.status.textContent = "Search is unavailable."; });
    }, DEBOUNCE_MS);
  }

  function show(id) {
    var batch = found.slice(shown, shown + PAGE);
    shown += batch.length;
    ui.more.hidden = shown >= found.length;
    return Promise.all(batch.map(function (r) { return r.data(); })).then(function (pages) {
      if (id !== searchId) return;
      pages.forEach(function (data) {
        var item = el("li", "bf-search__result");
        var link = el("a", "bf-search__link", (data.meta && data.meta.title) || data.url);
        link.href = data.url;
        item.appendChild(el("h3", "bf-search__title")).appendChild(link);
        var meta = data.meta || {};
        var line = [meta.kind, meta.outlet, meta.date].filter(Boolean).join(" · ");
        if (line) item.appendChild(el("p", "bf-search__meta", line));
        var topics = (data.filters && data.filters.topic) || [];
        if (topics.length) item.appendChild(el("p", "bf-search__topics", "Topics: " + topics.join(", ")));
        item.appendChild(excerpt(data.excerpt));
        ui.results.appendChild(item);
      });
    });
  }

  host.addEventListener("change", function (event) {
    if (event.target.dataset && event.target.dataset.filter) run();
  });
  panel.addEventListener("toggle", function () {
    if (!panel.open) return;
    if (!ui) build();
    ui.input.focus();  // nothing is fetched yet: run() loads Pagefind at the first character typed
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && panel.open) {
      panel.open = false;
      panel.querySelector("summary").focus();
    }
  });
  document.addEventListener("click", function (event) {
    if (panel.open && !panel.contains(event.target)) panel.open = false;
  });
  // ?q=words, as the 404 page's search form sends (and Material's search
  // reads): open the panel searching for them.
  var query = new URLSearchParams(location.search).get("q");
  if (query) {
    build();
    ui.input.value = query;
    panel.open = true;  // its toggle event focuses the input
    run();
  }
})();
