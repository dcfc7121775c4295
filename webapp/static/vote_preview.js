// Shows, while the tally is typed, how many count, the threshold and whether it passes.
// The fraction and the minimum of counted members come from the page (data-vote-numerator,
// -denominator, -minimum), which takes them from the case's rule set: no number of a rule here.
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
  var numerator = parseInt(form.dataset.voteNumerator, 10);
  var denominator = parseInt(form.dataset.voteDenominator, 10);
  var minimum = parseInt(form.dataset.voteMinimum || "0", 10);
  function show(key, text) { form.querySelector("[data-preview='" + key + "']").textContent = text; }
  function update() {
    var counted = number(form.dataset.voteMembers) - number(form.dataset.voteAttached) - number(form.dataset.voteExempt);
    var agree = number(form.dataset.voteAgree);
    show("fraction", numerator + "/" + denominator);
    if (!(numerator > 0 && denominator >= numerator)) { show("threshold", "—"); show("verdict", "—"); return; }
    // The least k with k * denominator >= numerator * counted (an integer ceiling, as rules.threshold).
    var threshold = Math.floor((numerator * counted + denominator - 1) / denominator);
    show("counted", String(counted));
    show("threshold", String(threshold));
    if (counted <= 0 || counted < minimum) { show("verdict", english ? "too few members to vote" : "không đủ số đảng viên để biểu quyết"); return; }
    show("verdict", agree >= threshold ? "✔ " + (english ? "passes" : "đạt") : "✘ " + (english ? "does not pass" : "không đạt"));
  }
  form.addEventListener("input", update);
  update();
})();
