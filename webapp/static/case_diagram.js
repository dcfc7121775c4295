// Draws the exact diagram a case ran on and marks the path it took. Clicking a step filters the
// events below; clicking a call activity opens the called process.
(function () {
  var canvasElement = document.getElementById("canvas");
  if (!canvasElement || !window.BpmnJS) { return; }
  var viewer = new window.BpmnJS({ container: canvasElement });
  var data = null;
  var backButton = document.getElementById("back-to-main");

  function marks(registry, canvas) {
    var done = new Set(data.completed), current = new Set(data.current), cancelled = new Set(data.cancelled);
    var reached = function (id) { return done.has(id) || current.has(id); };
    registry.getAll().forEach(function (element) {
      var id = element.id, bo = element.businessObject;
      if (done.has(id)) { canvas.addMarker(id, "ketnap-done"); }
      if (current.has(id)) { canvas.addMarker(id, "ketnap-current"); }
      if (cancelled.has(id)) { canvas.addMarker(id, "ketnap-cancelled"); }
      if (bo && bo.$type === "bpmn:SequenceFlow" && bo.sourceRef && bo.targetRef &&
          done.has(bo.sourceRef.id) && reached(bo.targetRef.id)) {
        canvas.addMarker(id, "ketnap-taken");
      }
      // Start events are not recorded as steps; mark them when what follows them was reached.
      if (bo && bo.$type === "bpmn:StartEvent" && (bo.outgoing || []).some(function (f) { return reached(f.targetRef.id); })) {
        canvas.addMarker(id, "ketnap-done");
      }
    });
    document.body.dataset.marked = "yes";
  }

  // Lanes are named by role ids (the engine reads them) and steps by their Vietnamese names: show
  // the role's label and, in English, the step's translation. Only the drawing changes, never the file.
  function relabel(registry) {
    var labels = data.labels || {}, lanes = labels.lanes || {}, steps = labels.steps || {};
    var graphics = viewer.get("graphicsFactory");
    registry.getAll().forEach(function (element) {
      var bo = element.businessObject, name = bo && bo.name;
      if (!name || element.labelTarget) { return; }
      var shown = bo.$type === "bpmn:Lane" ? lanes[name] : steps[name];
      if (!shown || shown === name) { return; }
      bo.name = shown;
      graphics.update(element.waypoints ? "connection" : "shape", element, registry.getGraphics(element));
      (element.labels || []).forEach(function (label) {
        graphics.update("shape", label, registry.getGraphics(label));
      });
    });
  }

  // A whole admission diagram fitted into the page is too small to read: below this scale, show it at
  // READABLE_SCALE instead, centred on where the case is (its waiting step, else its last event's step).
  var MIN_FIT_SCALE = 0.55, READABLE_SCALE = 0.8;

  function focusElement(registry) {
    var ids = data.current.slice();
    document.querySelectorAll("#events [data-step]").forEach(function (item) { ids.push(item.dataset.step); });
    if (data.current.length === 0) { ids.reverse(); }
    for (var i = 0; i < ids.length; i++) {
      var element = registry.get(ids[i]);
      if (element) { return element; }
    }
    return null;
  }

  function showReadably(canvas, registry) {
    canvas.zoom("fit-viewport");
    var focus = focusElement(registry);
    if (canvas.zoom() >= MIN_FIT_SCALE || !focus) { return; }
    canvas.zoom(READABLE_SCALE);
    var box = canvas.viewbox();
    canvas.viewbox({ x: focus.x + focus.width / 2 - box.width / 2, y: focus.y + focus.height / 2 - box.height / 2,
                     width: box.width, height: box.height });
  }

  function zoomBy(factor) {
    var canvas = viewer.get("canvas");
    canvas.zoom(canvas.zoom() * factor, centre(canvas));
  }

  function centre(canvas) {
    var box = canvas.viewbox();
    return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  }

  function open(processId) {
    return fetch(data.files[processId]).then(function (r) { return r.text(); }).then(function (xml) {
      return viewer.importXML(xml);
    }).then(function () {
      var canvas = viewer.get("canvas"), registry = viewer.get("elementRegistry");
      relabel(registry);
      marks(registry, canvas);
      showReadably(canvas, registry);
      document.body.dataset.process = processId;
      backButton.classList.toggle("d-none", processId === data.main);
    });
  }

  function showEvents(stepId) {
    document.querySelectorAll("#events [data-kind]").forEach(function (item) {
      var steps = (item.dataset.step || "");
      item.classList.toggle("d-none", stepId !== null && steps !== stepId);
    });
  }

  viewer.get("eventBus").on("element.click", function (event) {
    var bo = event.element.businessObject;
    if (bo && bo.$type === "bpmn:CallActivity" && data.files[bo.calledElement]) {
      open(bo.calledElement);
      return;
    }
    showEvents(bo && bo.$type !== "bpmn:Process" && bo.$type !== "bpmn:Collaboration" && bo.$type !== "bpmn:Lane" && bo.$type !== "bpmn:Participant" ? event.element.id : null);
  });
  backButton.addEventListener("click", function () { open(data.main); showEvents(null); });
  document.getElementById("zoom-in").addEventListener("click", function () { zoomBy(1.25); });
  document.getElementById("zoom-out").addEventListener("click", function () { zoomBy(0.8); });
  document.getElementById("zoom-fit").addEventListener("click", function () { viewer.get("canvas").zoom("fit-viewport"); });

  fetch(canvasElement.dataset.source, { headers: { Accept: "application/json" } })
    .then(function (r) { return r.json(); })
    .then(function (json) { data = json; return open(data.main); })
    .catch(function (error) { canvasElement.textContent = String(error); });
})();
