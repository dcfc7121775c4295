// Shows, while the tally is typed, how many count, the 2/3 threshold and whether it passes.
// Progressive enhancement only: the server re-checks everything on submit.
(function () {
  var form = document.querySelector("form[data-vote-rule]");
  if (!form) { return; }
  function number(name) {
    if (!name) { return 0; }
    var input = form.querySelector("[name='" + name + "']");
    var value = input ? parseInt(input.value, 10) : NaN;
    return isNaN(value) ? 0 : value;
  }
  var english = document.documentElement.lang === "en";
  function show(key, text) { form.querySelector("[data-preview='" + key + "']").textContent = text; }
  function update() {
    var counted = number(form.dataset.voteMembers) - number(form.dataset.voteAttached) - number(form.dataset.voteExempt);
    var agree = number(form.dataset.voteAgree);
    var threshold = Math.floor((2 * counted + 2) / 3);  // least k with 3k >= 2n
    var minimum = parseInt(form.dataset.voteMinimum || "0", 10);
    show("counted", String(counted));
    show("threshold", String(threshold));
    if (counted <= 0 || counted < minimum) { show("verdict", english ? "too few members to vote" : "không đủ số đảng viên để biểu quyết"); return; }
    show("verdict", agree >= threshold ? "✔ " + (english ? "passes" : "đạt") : "✘ " + (english ? "does not pass" : "không đạt"));
  }
  form.addEventListener("input", update);
  update();
})();
