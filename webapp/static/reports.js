// The report pages: draw each chart from its data-chart attribute (the table beside it has the same
// figures), and the print button. No inline script: the page's CSP allows files from 'self' only.
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  if (typeof window.Chart === "undefined") { return; }
  var colours = ["#8b0000", "#6c757d", "#0d6efd", "#198754"];
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var spec = JSON.parse(canvas.getAttribute("data-chart"));
    new window.Chart(canvas, {
      type: spec.type,
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map(function (set, index) {
          return { label: set.label, data: set.data, backgroundColor: colours[index % colours.length],
                   borderColor: colours[index % colours.length], fill: false };
        })
      },
      options: { responsive: true, animation: false, indexAxis: spec.type === "bar" ? "y" : "x",
                 plugins: { legend: { position: "bottom" } } }
    });
  });
})();
