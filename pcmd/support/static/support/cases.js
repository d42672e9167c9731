// Support case pages: show the loan fields only for a loan, the course only for training.
(function () {
  "use strict";
  function kinds(select) {
    var map = {};
    (select.getAttribute("data-kinds") || "").split(",").forEach(function (pair) {
      var bits = pair.split(":");
      if (bits.length === 2) { map[bits[0]] = bits[1]; }
    });
    return map;
  }
  function sync(select) {
    var kind = kinds(select)[select.value] || "";
    var form = select.form;
    form.querySelectorAll("[data-kind]").forEach(function (input) {
      var box = input.closest(".field");
      if (!box) { return; }
      var show = input.getAttribute("data-kind") === kind || box.classList.contains("invalid");
      box.hidden = !show;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("select[data-kinds]").forEach(function (select) {
      if (!select.form || !select.form.querySelector("[data-kind]")) { return; }
      sync(select);
      select.addEventListener("change", function () { sync(select); });
    });
  });
})();
// Intake: a police hand-over names the person; otherwise the person is found or recorded.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var origin = document.getElementById("id_origin");
  var referral = document.getElementById("id_referral");
  var person = document.getElementById("intake-person");
  if (!origin || !referral || !person) { return; }
  function sync() {
    var police = origin.value === "police";
    var box = referral.closest(".field");
    if (box) { box.hidden = !police && !box.classList.contains("invalid"); }
    person.hidden = police && !person.querySelector(".invalid, .error");
  }
  sync();
  origin.addEventListener("change", sync);
});
