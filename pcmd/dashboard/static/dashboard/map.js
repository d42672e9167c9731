/* The thematic map's tooltip: the name and value of the commune under the pointer (or
   tapped), from its SVG <title>; a table row highlights its commune. No dependencies. */
(function () {
  "use strict";
  var svg = document.getElementById("map");
  var tip = document.getElementById("map-tip");
  var frame = document.getElementById("map-frame");
  if (!svg || !tip || !frame) {
    return;
  }
  var current = null;

  // One tooltip, not two: the browser's own (from <title>) would show after ours.
  svg.querySelectorAll("path.cell").forEach(function (cell) {
    var title = cell.querySelector("title");
    if (title) {
      cell.setAttribute("data-tip", title.textContent);
      title.remove();
    }
  });

  function cellOf(unit) {
    return document.getElementById("cell-" + unit);
  }

  function mark(cell) {
    if (current && current !== cell) {
      current.classList.remove("hover");
    }
    current = cell;
    if (cell) {
      cell.classList.add("hover");
      cell.parentNode.appendChild(cell); // drawn last, so its edge shows whole
    }
  }

  function place(x, y) {
    var box = frame.getBoundingClientRect();
    tip.hidden = false;
    var left = x - box.left + 14;
    var top = y - box.top + 14;
    if (left + tip.offsetWidth > box.width) {
      left = Math.max(0, x - box.left - tip.offsetWidth - 14);
    }
    if (top + tip.offsetHeight > box.height) {
      top = Math.max(0, y - box.top - tip.offsetHeight - 14);
    }
    tip.style.left = left + "px";
    tip.style.top = top + "px";
  }

  function show(cell, x, y) {
    mark(cell);
    tip.textContent = cell.getAttribute("data-tip");
    place(x, y);
  }

  function hide() {
    mark(null);
    tip.hidden = true;
  }

  svg.addEventListener("pointermove", function (event) {
    var cell = event.target.closest("path.cell");
    if (cell) {
      show(cell, event.clientX, event.clientY);
    } else {
      hide();
    }
  });
  svg.addEventListener("pointerdown", function (event) {
    var cell = event.target.closest("path.cell");
    if (cell) {
      show(cell, event.clientX, event.clientY);
    }
  });
  svg.addEventListener("pointerleave", function (event) {
    if (event.pointerType === "mouse") {
      hide();
    }
  });

  document.querySelectorAll("#map-table tr[data-unit]").forEach(function (row) {
    row.addEventListener("mouseenter", function () {
      row.classList.add("hover");
      var cell = cellOf(row.getAttribute("data-unit"));
      if (cell) {
        var box = cell.getBoundingClientRect();
        show(cell, box.left + box.width / 2, box.top + box.height / 2);
      }
    });
    row.addEventListener("mouseleave", function () {
      row.classList.remove("hover");
      hide();
    });
  });
})();
