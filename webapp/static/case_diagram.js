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

  function open(processId) {
    return fetch(data.files[processId]).then(function (r) { return r.text(); }).then(function (xml) {
      return viewer.importXML(xml);
    }).then(function () {
      var canvas = viewer.get("canvas");
      canvas.zoom("fit-viewport");
      marks(viewer.get("elementRegistry"), canvas);
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

  fetch(canvasElement.dataset.source, { headers: { Accept: "application/json" } })
    .then(function (r) { return r.json(); })
    .then(function (json) { data = json; return open(data.main); })
    .catch(function (error) { canvasElement.textContent = String(error); });
})();
