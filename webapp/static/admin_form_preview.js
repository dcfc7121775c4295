// The form editor's live preview: the server renders the fields exactly as a task page would
// (or says what is wrong with the definition); asked again 400 ms after the last keystroke.
(function () {
  "use strict";
  var source = document.getElementById("form-source");
  var preview = document.getElementById("form-preview");
  if (!source || !preview) { return; }
  var status = document.getElementById("preview-status");
  var timer = null, asked = 0;

  function refresh() {
    var body = new FormData();
    body.append("csrf_token", source.querySelector("[name=csrf_token]").value);
    body.append("schema", source.querySelector("[name=schema]").value);
    body.append("ui", source.querySelector("[name=ui]").value);
    var mine = ++asked;
    preview.dataset.state = "loading";
    fetch(source.dataset.previewUrl, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) { return response.text().then(function (html) { return [response.ok, html]; }); })
      .then(function (answer) {
        if (mine !== asked) { return; }  // a later keystroke asked again: show that answer instead
        if (answer[0]) { preview.innerHTML = answer[1]; }
        preview.dataset.state = preview.querySelector("[data-testid=preview-error]") ? "error" : "ok";
        preview.dataset.updates = String(Number(preview.dataset.updates || 0) + 1);
        status.textContent = "";
      })
      .catch(function () { preview.dataset.state = "failed"; status.textContent = "…"; });
  }

  source.addEventListener("input", function (event) {
    if (event.target.name !== "schema" && event.target.name !== "ui") { return; }
    clearTimeout(timer);
    status.textContent = "…";
    timer = setTimeout(refresh, 400);
  });
  refresh();
})();
