// Live total of the assessment form (the server computes the real total and class).
(function () {
  "use strict";
  var form = document.getElementById("assessment-form");
  if (!form) { return; }
  var out = document.getElementById("live-total");
  function update() {
    var total = 0;
    form.querySelectorAll("input.score").forEach(function (input) {
      var value = parseInt(input.value, 10);
      if (!isNaN(value)) { total += value; }
    });
    if (out) { out.textContent = String(total); }
  }
  form.addEventListener("input", update);
  update();
})();
