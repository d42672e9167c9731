/* The page of a background import: follows the job's progress, then shows its result. */
(function () {
  "use strict";
  function start() {
    var box = document.getElementById("import-job");
    if (!box || !window.fetch) { return; }
    var bar = document.getElementById("import-progress");
    var status = document.getElementById("import-status");
    var numbers = new Intl.NumberFormat(document.documentElement.lang || "vi");
    var delay = 700;
    function show(job) {
      bar.value = job.percent;
      bar.textContent = job.percent + " %";
      var text;
      if (job.status === "checking") {
        text = box.getAttribute("data-text-checking")
          .replace("{done}", numbers.format(job.rows_done))
          .replace("{total}", numbers.format(job.rows_total));
      } else if (job.status === "saving") {
        text = box.getAttribute("data-text-saving");
      } else {
        text = box.getAttribute("data-text-queued");
      }
      if (status.textContent !== text) { status.textContent = text; }
    }
    function poll() {
      fetch(box.getAttribute("data-status-url"), {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (job) {
          if (job && job.finished) { window.location.reload(); return; }
          if (job) { show(job); }
          window.setTimeout(poll, delay);
        })
        .catch(function () { window.setTimeout(poll, 3000); });
    }
    window.setTimeout(poll, delay);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
