// leadrank web app: live refresh of tables over server-sent events, SLA countdowns that
// move, and keyboard shortcuts in the queue. No framework; loaded with `defer`.
(function () {
  "use strict";

  function span(s) {
    if (s < 60) return s + " s";
    if (s < 3600) return Math.floor(s / 60) + " min";
    if (s < 86400) return Math.floor(s / 3600) + " h " + Math.floor((s % 3600) / 60) + " min";
    return Math.floor(s / 86400) + " d " + Math.floor((s % 86400) / 3600) + " h";
  }

  // SLA countdowns: "12 min left" turns "soon" within 30 minutes and "late" after.
  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-due]").forEach(function (el) {
      var due = Date.parse(el.getAttribute("data-due"));
      if (isNaN(due)) return;
      var s = Math.round((due - now) / 1000);
      el.classList.remove("ok", "soon", "late");
      if (s < 0) {
        el.textContent = span(-s) + " late";
        el.classList.add("late");
      } else {
        el.textContent = span(s) + " left";
        el.classList.add(s <= 1800 ? "soon" : "ok");
      }
    });
  }

  var selected = -1;
  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("tr[data-lead]"));
  }
  function select(i) {
    var all = rows();
    if (!all.length) return;
    selected = Math.max(0, Math.min(all.length - 1, i));
    all.forEach(function (r, k) {
      r.classList.toggle("selected", k === selected);
      if (k === selected) r.setAttribute("aria-selected", "true"); else r.removeAttribute("aria-selected");
    });
    all[selected].scrollIntoView({ block: "nearest" });
  }

  function refresh(table) {
    fetch(table.getAttribute("data-live"), { credentials: "same-origin", headers: { "accept": "text/html" } })
      .then(function (resp) {
        if (resp.redirected && /\/login$/.test(resp.url)) { window.location.reload(); return null; }
        return resp.ok ? resp.text() : null;
      })
      .then(function (html) {
        if (!html) return;
        var tpl = document.createElement("template");
        tpl.innerHTML = html.trim();
        var fresh = tpl.content.firstElementChild;
        var old = table.querySelector("tbody");
        // Keep a reject form the user is filling in.
        if (!fresh || !old || old.querySelector("details[open]")) return;
        old.replaceWith(fresh);
        if (selected >= 0) select(selected);
        tick();
      })
      .catch(function () { /* the next change retries */ });
  }

  // The model editor: check the file as it is typed (after a pause), list problems by line;
  // a problem's link moves the cursor to its line.
  function editor(area) {
    var list = document.getElementById("issues");
    var csrf = document.body.getAttribute("data-csrf") || "";
    var timer = null;
    function show(issues) {
      list.innerHTML = "";
      if (!issues.length) {
        var ok = document.createElement("li"); ok.className = "muted"; ok.textContent = "None found."; list.appendChild(ok); return;
      }
      issues.forEach(function (i) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = "#source"; a.setAttribute("data-line", i.line); a.textContent = "line " + i.line + ", column " + i.column;
        li.appendChild(a);
        li.appendChild(document.createTextNode(": " + (i.key ? i.key + " " : "") + i.message));
        list.appendChild(li);
      });
    }
    function check() {
      var body = new URLSearchParams(); body.set("csrf", csrf); body.set("source", area.value);
      fetch(area.getAttribute("data-check"), { method: "POST", credentials: "same-origin", body: body })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (issues) { if (issues) show(issues); })
        .catch(function () {});
    }
    area.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(check, 400); });
    list.addEventListener("click", function (e) {
      var line = e.target && e.target.getAttribute && e.target.getAttribute("data-line");
      if (!line) return;
      e.preventDefault();
      var lines = area.value.split("\n"), pos = 0;
      for (var k = 0; k < Number(line) - 1 && k < lines.length; k++) pos += lines[k].length + 1;
      area.focus(); area.setSelectionRange(pos, pos);
      area.scrollTop = Math.max(0, (Number(line) - 5) * 18);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var area = document.querySelector("textarea[data-check]");
    if (area) editor(area);
    if (document.querySelector("[data-reload-while]")) setTimeout(function () { window.location.reload(); }, 1000);
    tick();
    setInterval(tick, 1000);
    var table = document.querySelector("table[data-live]");
    if (table && window.EventSource) {
      var source = new EventSource("/live");
      source.addEventListener("change", function () { refresh(table); });
    }
    document.addEventListener("keydown", function (e) {
      var t = e.target;
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (t && /^(INPUT|SELECT|TEXTAREA|BUTTON|SUMMARY)$/.test(t.tagName)) return;
      if (!rows().length) return;
      var row = rows()[selected];
      if (e.key === "j") { select(selected + 1); e.preventDefault(); }
      else if (e.key === "k") { select(selected - 1); e.preventDefault(); }
      else if (e.key === "Enter" && row) { var a = row.querySelector("a.lead"); if (a) { a.click(); e.preventDefault(); } }
      else if (e.key === "a" && row) { var b = row.querySelector("button[data-key=a]"); if (b) { b.click(); e.preventDefault(); } }
      else if (e.key === "s" && row) { var z = row.querySelector("button[data-key=s]"); if (z) { z.click(); e.preventDefault(); } }
      else if (e.key === "r" && row) {
        var d = row.querySelector("details.reject");
        if (d) { d.open = true; var s = d.querySelector("select"); if (s) s.focus(); e.preventDefault(); }
      }
    });
  });
})();
