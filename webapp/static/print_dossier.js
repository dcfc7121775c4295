// The "Print" button of the printable dossier (a script file: the pages allow no inline handler).
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
