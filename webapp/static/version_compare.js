// The version comparison (admin/versions.html): each changed BPMN file drawn with bpmn-js, the new
// version marking what was added or changed, the old one what was removed. The lists of element ids
// come from the server's diff (engine/diagram_diff.py); the table under each drawing says the same
// in words, and its buttons show an element on the drawing.
(function () {
  if (!window.BpmnJS) { return; }
  var MARKS = { "new": [["added", "ketnap-added"], ["changed", "ketnap-changed"]],
                "old": [["removed", "ketnap-removed"], ["changed", "ketnap-changed"]] };

  function ids(text) { return (text || "").split(" ").filter(Boolean); }

  // Lanes carry role ids (what the engine reads): the drawing shows the role's label instead.
  function relabel(viewer, labels) {
    var registry = viewer.get("elementRegistry"), graphics = viewer.get("graphicsFactory");
    var lanes = labels.lanes || {}, steps = labels.steps || {};
    registry.getAll().forEach(function (element) {
      var bo = element.businessObject, name = bo && bo.name;
      if (!name || element.labelTarget) { return; }
      var shown = bo.$type === "bpmn:Lane" ? lanes[name] : steps[name];
      if (!shown || shown === name) { return; }
      bo.name = shown;
      graphics.update(element.waypoints ? "connection" : "shape", element, registry.getGraphics(element));
      (element.labels || []).forEach(function (label) { graphics.update("shape", label, registry.getGraphics(label)); });
    });
  }

  // A whole admission diagram fitted into the box is too small to read: then show it at a readable
  // scale, centred on the first marked element (as the case diagram page does).
  var MIN_FIT_SCALE = 0.55, READABLE_SCALE = 0.8;

  function readable(canvas, registry, which, lists) {
    canvas.zoom("fit-viewport");
    if (canvas.zoom() >= MIN_FIT_SCALE) { return; }
    var first = null;
    MARKS[which].some(function (pair) {
      return lists[pair[0]].some(function (id) { first = registry.get(id); return Boolean(first); });
    });
    if (!first) { return; }
    canvas.zoom(READABLE_SCALE);
    var box = canvas.viewbox();
    canvas.viewbox({ x: first.x + first.width / 2 - box.width / 2, y: first.y + first.height / 2 - box.height / 2,
                     width: box.width, height: box.height });
  }

  document.querySelectorAll("[data-compare]").forEach(function (card) {
    var box = card.querySelector(".compare-canvas");
    if (!box) { return; }
    var viewer = new window.BpmnJS({ container: box });
    var labels = JSON.parse(box.dataset.labels || "{}");
    var lists = { added: ids(box.dataset.added), removed: ids(box.dataset.removed), changed: ids(box.dataset.changed) };
    var buttons = card.querySelectorAll("[data-show]");
    var shown = null;

    function show(which) {
      var url = box.dataset[which + "Url"];
      if (!url) { return Promise.resolve(); }
      if (shown === which) { return Promise.resolve(); }
      box.dataset.shown = "";
      return fetch(url).then(function (r) { return r.text(); })
        .then(function (xml) { return viewer.importXML(xml); })
        .then(function () {
          var canvas = viewer.get("canvas"), registry = viewer.get("elementRegistry"), marked = 0;
          relabel(viewer, labels);
          MARKS[which].forEach(function (pair) {
            lists[pair[0]].forEach(function (id) {
              if (registry.get(id)) { canvas.addMarker(id, pair[1]); marked += 1; }
            });
          });
          readable(canvas, registry, which, lists);
          shown = which;
          box.dataset.shown = which;
          box.dataset.marked = String(marked);
          buttons.forEach(function (button) { button.setAttribute("aria-pressed", String(button.dataset.show === which)); });
        })
        .catch(function (error) { box.textContent = String(error); });
    }

    function focusOn(id, where) {
      show(where).then(function () {
        var canvas = viewer.get("canvas"), element = viewer.get("elementRegistry").get(id);
        if (!element) { return; }
        viewer.get("elementRegistry").getAll().forEach(function (e) { canvas.removeMarker(e.id, "ketnap-focus"); });
        canvas.addMarker(id, "ketnap-focus");
        canvas.zoom(1);
        canvas.scrollToElement(element);
        box.dataset.focused = id;
        box.scrollIntoView({ block: "nearest" });
      });
    }

    buttons.forEach(function (button) {
      button.addEventListener("click", function () { show(button.dataset.show); });
    });
    card.querySelectorAll("[data-focus]").forEach(function (button) {
      button.addEventListener("click", function () { focusOn(button.dataset.focus, button.dataset.in); });
    });
    show(box.dataset.newUrl ? "new" : "old");
  });
})();
