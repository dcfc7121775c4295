// Asks before a one-click action that is hard to take back: forms carrying data-confirm.
document.addEventListener("submit", function (event) {
  var message = event.target.dataset ? event.target.dataset.confirm : null;
  if (message && !window.confirm(message)) { event.preventDefault(); }
});
