// Field form helpers (progressive enhancement; the form works without them):
// - filter the establishment list as the officer types;
// - show only the members of the chosen team.
(function () {
  "use strict";
  var select = document.getElementById("id_establishment");
  var search = document.getElementById("establishment-search");
  if (select && search) {
    var options = Array.prototype.slice.call(select.options);
    search.hidden = false;
    search.addEventListener("input", function () {
      var needle = search.value.trim().toLowerCase();
      options.forEach(function (opt) {
        var show = !needle || !opt.value || opt.text.toLowerCase().indexOf(needle) !== -1;
        opt.hidden = !show;
        opt.disabled = !show && !opt.selected;
      });
    });
  }
  var team = document.getElementById("id_team");
  var members = document.querySelectorAll("[data-team]");
  function showMembers() {
    if (!team) { return; }
    members.forEach(function (row) {
      var mine = row.getAttribute("data-team") === team.value;
      row.classList.toggle("i178-other-team", !mine);
      if (!mine) {
        var box = row.querySelector("input");
        if (box) { box.checked = false; }
      }
    });
  }
  if (team && members.length) {
    team.addEventListener("change", showMembers);
    showMembers();
  }
})();
