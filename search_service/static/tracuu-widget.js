/*
 * Tra cứu widget: an instant-search dropdown under a portal's own search box.
 *
 *   <input type="search" data-tracuu="https://tracuu.example.vn">
 *   <script src="https://tracuu.example.vn/static/tracuu-widget.js" defer></script>
 *
 * data-tracuu            the Tra cứu server (empty: where this script was loaded from)
 * data-tracuu-per-page   hits shown in the dropdown (default 6)
 * data-tracuu-min-chars  characters typed before searching (default 2)
 * data-tracuu-css="off"  on any input: do not add the default styles
 *
 * Plain JavaScript, no build step, no dependency. The default styles are inserted first
 * in <head>, so any rule of the portal's own for the tracuu-* classes wins.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var scriptOrigin = script && script.src ? new URL(script.src, window.location.href).origin : "";
  var DELAY_MS = 200;
  var WIDTH_PX = 420;
  var STYLE_ID = "tracuu-widget-style";
  var STYLE = [
    ".tracuu-dropdown{position:absolute;z-index:2147483000;box-sizing:border-box;margin:2px 0 0;",
    "padding:0;list-style:none;background:#fff;color:#1b1b1b;border:1px solid #8a8f98;",
    "border-radius:4px;box-shadow:0 6px 18px rgba(0,0,0,.18);max-height:70vh;overflow-y:auto;",
    "max-width:calc(100vw - 16px);font-size:15px;line-height:1.4;text-align:left}",
    ".tracuu-dropdown[hidden]{display:none}",
    ".tracuu-option{padding:8px 12px;cursor:pointer;border-bottom:1px solid #eceff3}",
    ".tracuu-option:last-child{border-bottom:0}",
    ".tracuu-option[aria-selected=true]{background:#0a4b94;color:#fff}",
    ".tracuu-option[aria-selected=true] .tracuu-meta{color:#fff}",
    ".tracuu-option[aria-selected=true] mark{background:#ffe97a;color:#1b1b1b}",
    ".tracuu-title{display:block;font-weight:600}",
    ".tracuu-meta{display:block;font-size:.85em;color:#555}",
    ".tracuu-snippet{display:-webkit-box;-webkit-box-orient:vertical;-webkit-line-clamp:3;",
    "overflow:hidden;font-size:.9em}",
    ".tracuu-snippet mark{background:#ffe97a;color:inherit}",
    ".tracuu-all{font-weight:600}",
    ".tracuu-empty{color:#555;cursor:default}",
    ".tracuu-status{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);",
    "white-space:nowrap}"
  ].join("");
  var counter = 0;

  function addStyle() {
    if (document.getElementById(STYLE_ID)) return;
    var style = document.createElement("style");
    style.id = STYLE_ID;
    style.textContent = STYLE;
    document.head.insertBefore(style, document.head.firstChild);
  }

  // The API's snippets are escaped text with <mark> around matches. They are parsed in an
  // inert document (nothing runs or loads there) and rebuilt from text and <mark> alone.
  function marked(html) {
    var parsed = new DOMParser().parseFromString("<body>" + (html || ""), "text/html");
    var out = document.createDocumentFragment();
    parsed.body.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        out.appendChild(mark);
      } else {
        out.appendChild(document.createTextNode(node.textContent));
      }
    });
    return out;
  }

  function span(className, content) {
    var el = document.createElement("span");
    el.className = className;
    if (typeof content === "string") el.textContent = content;
    else el.appendChild(content);
    return el;
  }

  function isoToVietnamese(iso) {
    var p = (iso || "").split("-");
    return p.length === 3 ? p[2] + "/" + p[1] + "/" + p[0] : iso || "";
  }

  function attach(input) {
    if (input.getAttribute("data-tracuu-ready")) return;
    input.setAttribute("data-tracuu-ready", "1");
    var base = (input.getAttribute("data-tracuu") || scriptOrigin).replace(/\/+$/, "");
    var perPage = parseInt(input.getAttribute("data-tracuu-per-page"), 10) || 6;
    var minChars = parseInt(input.getAttribute("data-tracuu-min-chars"), 10) || 2;
    var id = "tracuu-listbox-" + (++counter);

    var list = document.createElement("ul");
    list.id = id;
    list.className = "tracuu-dropdown";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Kết quả tìm nhanh");
    list.hidden = true;
    var status = document.createElement("div");
    status.className = "tracuu-status";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    document.body.appendChild(list);
    document.body.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", id);
    input.setAttribute("autocomplete", "off");

    var options = [];  // [{el, href}]
    var active = -1;
    var timer = null;
    var controller = null;
    var sequence = 0;
    var shownFor = null;  // the query the list shows

    function resultsUrl(q) {
      return base + "/tim-kiem?q=" + encodeURIComponent(q);
    }

    function documentUrl(docId, q) {
      return base + "/van-ban/" + docId.split("/").map(encodeURIComponent).join("/") +
        "?q=" + encodeURIComponent(q);
    }

    // under the input, at least WIDTH_PX wide, moved left rather than past the window's edge
    function place() {
      var r = input.getBoundingClientRect();
      var viewport = document.documentElement.clientWidth;
      var width = Math.min(Math.max(r.width, WIDTH_PX), viewport - 16);
      var left = Math.max(8, Math.min(r.left, viewport - width - 8));
      list.style.top = (r.bottom + window.scrollY) + "px";
      list.style.left = (left + window.scrollX) + "px";
      list.style.width = width + "px";
    }

    function open() {
      if (!options.length && !list.firstChild) return;
      place();
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      select(-1);
    }

    function select(i) {
      if (active >= 0 && options[active]) options[active].el.setAttribute("aria-selected", "false");
      active = i;
      if (i >= 0 && options[i]) {
        options[i].el.setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", options[i].el.id);
        options[i].el.scrollIntoView({block: "nearest"});
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function go(href) {
      window.location.assign(href);
    }

    function addOption(className, href, children) {
      var li = document.createElement("li");
      li.id = id + "-" + options.length;
      li.className = "tracuu-option " + className;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      children.forEach(function (child) { li.appendChild(child); });
      li.addEventListener("click", function () { go(href); });
      list.appendChild(li);
      options.push({el: li, href: href});
    }

    function message(text) {
      var li = document.createElement("li");
      li.className = "tracuu-option tracuu-empty";
      li.setAttribute("role", "option");
      li.setAttribute("aria-disabled", "true");
      li.textContent = text;
      list.appendChild(li);
    }

    function clear() {
      options = [];
      active = -1;
      input.removeAttribute("aria-activedescendant");
      while (list.firstChild) list.removeChild(list.firstChild);
    }

    function render(data, q) {
      clear();
      shownFor = q;
      (data.hits || []).forEach(function (hit) {
        var meta = [hit.doc_number, hit.doc_type, hit.issuer, isoToVietnamese(hit.date)]
          .filter(Boolean).join(" · ");
        var parts = [span("tracuu-title", hit.title || hit.id)];
        if (meta) parts.push(span("tracuu-meta", meta));
        if (hit.snippet) parts.push(span("tracuu-snippet", marked(hit.snippet)));
        addOption("tracuu-hit", documentUrl(hit.id, q), parts);
      });
      if (data.total > 0) {
        addOption("tracuu-all", resultsUrl(q),
          [document.createTextNode("Xem tất cả " + data.total.toLocaleString("vi-VN") +
                                   " kết quả cho «" + q + "»")]);
        status.textContent = data.total.toLocaleString("vi-VN") + " kết quả. " +
          "Dùng phím mũi tên để chọn.";
      } else {
        message("Không tìm thấy kết quả cho «" + q + "»");
        status.textContent = "Không tìm thấy kết quả.";
      }
      open();
    }

    function failed(q) {
      clear();
      shownFor = q;
      message("Không tải được kết quả. Nhấn Enter để mở trang tìm kiếm.");
      status.textContent = "Không tải được kết quả.";
      open();
    }

    function search(q) {
      var mine = ++sequence;
      if (controller) controller.abort();
      controller = window.AbortController ? new AbortController() : null;
      var url = base + "/api/search?q=" + encodeURIComponent(q) + "&per_page=" + perPage;
      fetch(url, {headers: {Accept: "application/json"}, signal: controller && controller.signal})
        .then(function (r) { return r.ok ? r.json() : Promise.reject(new Error("HTTP " + r.status)); })
        .then(function (data) { if (mine === sequence) render(data, q); })
        .catch(function (err) {
          if (mine === sequence && !(err && err.name === "AbortError")) failed(q);
        });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value.trim();
      if (q.length < minChars) {
        sequence++;  // an answer still on its way is no longer wanted
        clear();
        shownFor = null;
        close();
        return;
      }
      timer = setTimeout(function () { search(q); }, DELAY_MS);
    });

    input.addEventListener("keydown", function (event) {
      if (event.isComposing) return;  // an input method (Telex, VNI) is still composing
      var q = input.value.trim();
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (list.hidden) { open(); return; }
        if (options.length) select(active + 1 < options.length ? active + 1 : 0);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        if (!list.hidden && options.length) select(active > 0 ? active - 1 : options.length - 1);
      } else if (event.key === "Enter") {
        if (!list.hidden && active >= 0) {
          event.preventDefault();
          go(options[active].href);
        } else if (q) {
          event.preventDefault();
          go(resultsUrl(q));
        }
      } else if (event.key === "Escape") {
        if (!list.hidden) {
          event.preventDefault();
          close();
        }
      }
    });

    // a click on an option must not blur the input first
    list.addEventListener("mousedown", function (event) { event.preventDefault(); });
    input.addEventListener("blur", function () { close(); });
    input.addEventListener("focus", function () {
      if (shownFor !== null && shownFor === input.value.trim()) open();
    });
    window.addEventListener("resize", function () { if (!list.hidden) place(); });
  }

  function init() {
    var inputs = document.querySelectorAll("input[data-tracuu]");
    var styled = true;
    inputs.forEach(function (input) {
      if (input.getAttribute("data-tracuu-css") === "off") styled = false;
    });
    if (inputs.length && styled) addStyle();
    inputs.forEach(attach);
  }

  window.TracuuWidget = {attach: attach};
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
