// Offline search for a quire site. The index (search-index.js) is loaded
// only when the reader first types, as a script so it works from file://.
// Each entry is [title, path, headings, opening words].
(function () {
  var me = document.currentScript;
  var root = me.getAttribute("data-root");
  var src = me.getAttribute("data-index");
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form.search");
    if (!form) return;
    form.hidden = false;
    var input = form.querySelector("input");
    var list = form.querySelector("ol");
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    function show() {
      var q = input.value.trim().toLowerCase();
      list.textContent = "";
      if (q.length < 2 || !window.QUIRE_SEARCH) return;
      var words = q.split(/\s+/), shown = 0;
      for (var i = 0; i < window.QUIRE_SEARCH.length && shown < 12; i++) {
        var e = window.QUIRE_SEARCH[i];
        var hay = (e[0] + " " + e[2] + " " + e[3]).toLowerCase();
        if (!words.every(function (w) { return hay.indexOf(w) >= 0; })) continue;
        var li = document.createElement("li"), a = document.createElement("a"), s = document.createElement("small");
        a.href = root + e[1]; a.textContent = e[0]; s.textContent = e[3];
        li.appendChild(a); li.appendChild(s); list.appendChild(li); shown++;
      }
    }
    input.addEventListener("input", function () {
      if (window.QUIRE_SEARCH) return show();
      if (document.getElementById("quire-search-index")) return;
      var s = document.createElement("script");
      s.id = "quire-search-index"; s.src = src; s.onload = show;
      document.head.appendChild(s);
    });
  });
})();
