/* PCMD — small progressive enhancements; every page works without them.
   - main menu: groups close each other, Escape and outside clicks close them, a phone toggle;
   - busy states: a submitted form disables its buttons and says it is working; a link to a
     generated document (PDF, DOCX, XLSX, CSV) shows a busy state until the file arrives;
   - forms with errors: the first invalid field gets the focus;
   - date fields (dd/mm/yyyy text): slashes typed for you, a calendar button using the
     browser's own date picker, the chosen day written back as dd/mm/yyyy. */
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js");

  function text(name, fallback) {
    return (document.body && document.body.getAttribute("data-" + name)) || fallback;
  }

  /* ---- Main menu ---------------------------------------------------------------- */
  function setupMenu() {
    var nav = document.getElementById("mainnav");
    if (!nav) return;
    var toggle = nav.querySelector(".navtoggle");
    var groups = Array.prototype.slice.call(nav.querySelectorAll("details"));
    function phone() {
      return toggle && window.getComputedStyle(toggle).display !== "none";
    }
    function closeGroups(except) {
      groups.forEach(function (d) { if (d !== except) d.open = false; });
    }
    groups.forEach(function (d) {
      d.addEventListener("toggle", function () {
        if (d.open && !phone()) closeGroups(d);
      });
    });
    nav.addEventListener("keydown", function (e) {
      if (e.key !== "Escape") return;
      var open = e.target.closest ? e.target.closest("details[open]") : null;
      if (open && !phone()) {
        open.open = false;
        open.querySelector("summary").focus();
      } else if (phone() && nav.classList.contains("open")) {
        setOpen(false);
        toggle.focus();
      }
    });
    document.addEventListener("click", function (e) {
      if (!phone() && !nav.contains(e.target)) closeGroups(null);
    });
    function setOpen(open) {
      nav.classList.toggle("open", open);
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      // On a phone the open menu lists every page at once.
      groups.forEach(function (d) { d.open = open; });
    }
    if (toggle) {
      toggle.addEventListener("click", function () {
        setOpen(!nav.classList.contains("open"));
      });
    }
  }

  /* ---- Busy states -------------------------------------------------------------- */
  function setupBusyForms() {
    document.addEventListener("submit", function (e) {
      var form = e.target;
      if (e.defaultPrevented || form.hasAttribute("data-no-busy")) return;
      if (form.getAttribute("aria-busy") === "true") { e.preventDefault(); return; }
      var submitter = e.submitter;
      // A disabled button is not sent: keep the pressed button's name and value.
      if (submitter && submitter.name) {
        var keep = document.createElement("input");
        keep.type = "hidden";
        keep.name = submitter.name;
        keep.value = submitter.value;
        form.appendChild(keep);
      }
      form.setAttribute("aria-busy", "true");
      var busy = text("busy", "Working…");
      Array.prototype.forEach.call(form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]"), function (b) {
        b.disabled = true;
        if (b === submitter || (!submitter && b.classList.contains("primary"))) {
          b.setAttribute("data-label", b.textContent);
          b.textContent = busy;
          b.classList.add("busy");
        }
      });
      if (form.querySelector("input[type=file]")) {
        var bar = document.createElement("div");
        bar.className = "progress";
        bar.setAttribute("role", "status");
        bar.innerHTML = "<progress></progress> <span></span>";
        bar.querySelector("span").textContent = text("uploading", "Uploading and checking the file…");
        form.appendChild(bar);
      }
    });
    // Back/forward cache: a page shown again is not busy any more.
    window.addEventListener("pageshow", function () {
      Array.prototype.forEach.call(document.querySelectorAll("form[aria-busy=true]"), function (form) {
        form.removeAttribute("aria-busy");
        Array.prototype.forEach.call(form.querySelectorAll("button, input[type=submit]"), function (b) {
          b.disabled = false;
          if (b.hasAttribute("data-label")) b.textContent = b.getAttribute("data-label");
          b.classList.remove("busy");
        });
        Array.prototype.forEach.call(form.querySelectorAll(".progress"), function (p) { p.remove(); });
      });
    });
  }

  var DOCUMENT = /\.(pdf|docx|xlsx|csv)$/i;

  function filename(response, link) {
    var header = response.headers.get("Content-Disposition") || "";
    var star = /filename\*=UTF-8''([^;]+)/i.exec(header);
    if (star) return decodeURIComponent(star[1]);
    var plain = /filename="?([^";]+)"?/i.exec(header);
    if (plain) return plain[1];
    return link.pathname.split("/").pop();
  }

  function setupBusyDownloads() {
    document.addEventListener("click", function (e) {
      var link = e.target.closest ? e.target.closest("a[href]") : null;
      if (!link || link.origin !== window.location.origin || !DOCUMENT.test(link.pathname)) return;
      if (e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey || !window.fetch) return;
      e.preventDefault();
      if (link.getAttribute("aria-busy") === "true") return;
      var label = link.textContent;
      link.setAttribute("aria-busy", "true");
      link.classList.add("busy");
      link.textContent = text("preparing", "Preparing the document…");
      function done() {
        link.removeAttribute("aria-busy");
        link.classList.remove("busy");
        link.textContent = label;
      }
      fetch(link.href, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) { window.location.href = link.href; return null; }
        return response.blob().then(function (blob) {
          var url = URL.createObjectURL(blob);
          var save = document.createElement("a");
          save.href = url;
          save.download = filename(response, link);
          document.body.appendChild(save);
          save.click();
          save.remove();
          setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
        });
      }).then(done, function () { done(); window.location.href = link.href; });
    });
  }

  /* ---- Forms with errors: focus the first invalid field --------------------------- */
  function setupErrors() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) return;
    var first = summary.querySelector("a[href^='#']");
    var target = first ? document.getElementById(first.getAttribute("href").slice(1)) : null;
    (target || summary).focus();
    summary.addEventListener("click", function (e) {
      var a = e.target.closest ? e.target.closest("a[href^='#']") : null;
      var field = a ? document.getElementById(a.getAttribute("href").slice(1)) : null;
      if (field) { e.preventDefault(); field.focus(); field.scrollIntoView({ block: "center" }); }
    });
  }

  /* ---- Date fields ---------------------------------------------------------------- */
  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function calendarIcon() {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 16 16");
    svg.setAttribute("width", "16");
    svg.setAttribute("height", "16");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    [["rect", {x: "1.5", y: "3", width: "13", height: "11.5", rx: "1.5", fill: "none", stroke: "currentColor"}],
     ["path", {d: "M1.5 6.5h13M5 1.5v3M11 1.5v3", stroke: "currentColor", fill: "none"}]].forEach(function (part) {
      var el = document.createElementNS(ns, part[0]);
      Object.keys(part[1]).forEach(function (k) { el.setAttribute(k, part[1][k]); });
      svg.appendChild(el);
    });
    return svg;
  }

  function toIso(value) {
    var m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value.trim());
    if (m) return m[3] + "-" + pad(+m[2]) + "-" + pad(+m[1]);
    return /^\d{4}-\d{2}-\d{2}$/.test(value.trim()) ? value.trim() : "";
  }

  function setupNumbers() {
    // A numeric keypad on phones: whole numbers get digits, others a decimal pad.
    Array.prototype.forEach.call(document.querySelectorAll("input[type=number]:not([inputmode])"), function (input) {
      var step = input.getAttribute("step");
      input.setAttribute("inputmode", !step || /^\d+$/.test(step) ? "numeric" : "decimal");
    });
  }

  function setupDates() {
    Array.prototype.forEach.call(document.querySelectorAll("input[data-date]"), function (input) {
      input.addEventListener("input", function (e) {
        if (e.inputType !== "insertText") return;
        if (/^\d{2}$/.test(input.value) || /^\d{1,2}\/\d{2}$/.test(input.value)) input.value += "/";
      });
      input.addEventListener("blur", function () {
        var m = /^(\d{2})(\d{2})(\d{4})$/.exec(input.value.trim());
        if (m) input.value = m[1] + "/" + m[2] + "/" + m[3];
      });
      var probe = document.createElement("input");
      probe.type = "date";
      if (probe.type !== "date" || typeof probe.showPicker !== "function" || input.disabled) return;
      var wrap = document.createElement("span");
      wrap.className = "datewrap";
      input.parentNode.insertBefore(wrap, input);
      wrap.appendChild(input);
      var button = document.createElement("button");
      button.type = "button";
      button.className = "datebutton";
      button.setAttribute("aria-label", text("pick-date", "Choose a date"));
      button.appendChild(calendarIcon());  // drawn, not an emoji: no emoji font is needed
      probe.className = "dateprobe";
      probe.tabIndex = -1;
      probe.setAttribute("aria-hidden", "true");
      wrap.appendChild(button);
      wrap.appendChild(probe);
      button.addEventListener("click", function () {
        probe.value = toIso(input.value);
        try { probe.showPicker(); } catch (err) { input.focus(); }
      });
      probe.addEventListener("change", function () {
        var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(probe.value);
        if (!m) return;
        input.value = m[3] + "/" + m[2] + "/" + m[1];
        input.dispatchEvent(new Event("change", { bubbles: true }));
        input.focus();
      });
    });
  }

  function start() {
    setupMenu();
    setupBusyForms();
    setupBusyDownloads();
    setupErrors();
    setupDates();
    setupNumbers();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
