// The diagram editor: bpmn-js Modeler, a small panel for what our diagrams need, an XML tab,
// validation with the problem elements highlighted, deployment as a new version.
//
// Standard BPMN (names, lane names = roles, scripts, conditions, timers) is edited through
// bpmn-js's modeling commands, so undo/redo covers it. The form a user task names lives in
// `spiffworkflow:properties`, a namespace bpmn-js has no descriptor for: it keeps those elements
// as generic XML, and the form chosen in the panel is written into the XML string after saveXML
// (DOMParser/XMLSerializer), see applyFormEdits.
(function () {
  "use strict";
  var root = document.getElementById("diagram-editor");
  if (!root || !window.BpmnJS) { return; }
  var config = JSON.parse(document.getElementById("editor-config").textContent);
  var text = config.text;
  var BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL";
  var SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core";
  var XMLNS = "http://www.w3.org/2000/xmlns/";
  var FORM_SCHEMA = "formJsonSchemaFilename", FORM_UI = "formUiSchemaFilename";
  var INSTRUCTIONS = "instructionsForEndUser";
  var PROBLEM = "ketnap-problem";

  var modeler = new window.BpmnJS({ container: "#modeler" });
  var modeling = modeler.get("modeling");
  var registry = modeler.get("elementRegistry");
  var canvas = modeler.get("canvas");
  var factory = modeler.get("bpmnFactory");
  var moddle = modeler.get("moddle");
  var selection = modeler.get("selection");

  var xmlArea = document.getElementById("xml");
  var result = document.getElementById("editor-result");
  var problemList = document.getElementById("problems");
  var problemsTitle = document.getElementById("problems-title");
  var csrf = document.getElementById("csrf").value;

  var originalForms = {};  // user task id → form named in the loaded XML
  var formEdits = {};      // user task id → form chosen in the panel since then ("" = none)
  // SpiffArena's instructionsForEndUser (shown on the task page), kept like the form: in the XML string.
  var originalInstructions = {};  // user task id → instructions in the loaded XML
  var instructionEdits = {};      // user task id → instructions typed in the panel since then
  var marked = [];
  var current = null;      // the element shown in the panel
  var dirty = false;

  // --- loading ------------------------------------------------------------------------------

  function formsIn(xml) {
    var found = {};
    var doc = new DOMParser().parseFromString(xml, "application/xml");
    var properties = doc.getElementsByTagNameNS(SPIFF, "property");
    for (var i = 0; i < properties.length; i++) {
      var property = properties[i];
      if (property.getAttribute("name") !== FORM_SCHEMA) { continue; }
      var owner = property.parentNode;
      while (owner && owner.nodeType === 1 && (owner.namespaceURI !== BPMN || owner.localName === "extensionElements")) {
        owner = owner.parentNode;
      }
      if (owner && owner.getAttribute && owner.getAttribute("id")) {
        found[owner.getAttribute("id")] = (property.getAttribute("value") || "").replace(/\.schema\.json$/, "");
      }
    }
    return found;
  }

  function instructionsIn(xml) {
    var found = {};
    var doc = new DOMParser().parseFromString(xml, "application/xml");
    var nodes = doc.getElementsByTagNameNS(SPIFF, INSTRUCTIONS);
    for (var i = 0; i < nodes.length; i++) {
      var task = nodes[i].parentNode && nodes[i].parentNode.parentNode;  // extensionElements → the task
      if (task && task.getAttribute && task.getAttribute("id")) { found[task.getAttribute("id")] = nodes[i].textContent; }
    }
    return found;
  }

  // SpiffWorkflow names data variables where BPMN expects element ids (loopDataInputRef of a
  // multi-instance call). bpmn-js cannot resolve them and would drop them on save: put them back
  // as bare references, which are written out by their id as they came.
  function restoreReferences(warnings) {
    (warnings || []).forEach(function (warning) {
      if (warning.element && warning.property && warning.value && /unresolved reference/.test(warning.message)) {
        warning.element.set(warning.property, moddle.create("bpmn:DataInput", { id: warning.value }));
      }
    });
  }

  function fillFinder() {
    var list = document.getElementById("element-list");
    list.innerHTML = "";
    registry.getAll().forEach(function (element) {
      if (element.type === "label" || !element.businessObject || element === canvas.getRootElement()) { return; }
      var option = document.createElement("option");
      option.value = element.id;
      option.label = element.businessObject.name || element.businessObject.$type.replace("bpmn:", "");
      list.appendChild(option);
    });
  }

  // The whole diagram when it is readable so; a long procedure is shown from its start instead.
  function overview() {
    if (!document.getElementById("modeler").offsetWidth) { return; }
    canvas.zoom("fit-viewport");
    var box = canvas.viewbox();
    if (box.scale < 0.5) {
      canvas.viewbox({ x: box.inner.x - 20, y: box.inner.y - 20, width: box.outer.width / 0.6,
                       height: box.outer.height / 0.6 });
    }
  }

  function load(xml) {
    return modeler.importXML(xml).then(function (imported) {
      restoreReferences(imported.warnings);
      originalForms = formsIn(xml);
      formEdits = {};
      originalInstructions = instructionsIn(xml);
      instructionEdits = {};
      marked = [];
      overview();
      showPanel(null);
      fillFinder();
      registry.getAll().forEach(labelLane);
      root.dataset.state = "ready";
      return imported;
    });
  }

  // A lane is named by its role id (the engine reads it); the drawing shows the role's label over it.
  // Only the drawn text changes: the XML, the panel and a direct edit on the canvas keep the id.
  var laneLabels = {};
  root.querySelectorAll("#p-role option[data-label]").forEach(function (o) { laneLabels[o.value] = o.dataset.label; });

  function labelLane(element) {
    var bo = element.businessObject;
    if (!bo || bo.$type !== "bpmn:Lane" || !laneLabels[bo.name]) { return; }
    var gfx = registry.getGraphics(element);
    var drawn = gfx && gfx.querySelector(".djs-visual text");
    if (!drawn) { return; }
    while (drawn.childNodes.length > 1) { drawn.removeChild(drawn.lastChild); }
    (drawn.firstChild || drawn).textContent = laneLabels[bo.name];
  }

  // --- saving -------------------------------------------------------------------------------

  function childNS(parent, ns, localName) {
    for (var node = parent.firstChild; node; node = node.nextSibling) {
      if (node.nodeType === 1 && node.namespaceURI === ns && node.localName === localName) { return node; }
    }
    return null;
  }

  function byId(doc, id) {
    var all = doc.getElementsByTagNameNS(BPMN, "*");
    for (var i = 0; i < all.length; i++) {
      if (all[i].getAttribute("id") === id) { return all[i]; }
    }
    return null;
  }

  function setProperty(doc, properties, name, value) {
    var existing = null;
    for (var node = properties.firstChild; node; node = node.nextSibling) {
      if (node.nodeType === 1 && node.namespaceURI === SPIFF && node.localName === "property" &&
          node.getAttribute("name") === name) { existing = node; break; }
    }
    if (!value) {
      if (existing) { properties.removeChild(existing); }
      return;
    }
    if (!existing) {
      existing = doc.createElementNS(SPIFF, "spiffworkflow:property");
      existing.setAttribute("name", name);
      properties.appendChild(existing);
    }
    existing.setAttribute("value", value);
  }

  function setForm(doc, task, form) {
    var prefix = task.prefix ? task.prefix + ":" : "";
    var extensions = childNS(task, BPMN, "extensionElements");
    if (!extensions) {
      if (!form) { return; }
      extensions = doc.createElementNS(BPMN, prefix + "extensionElements");
      var after = null;  // the schema wants extensionElements right after any documentation
      for (var node = task.firstChild; node; node = node.nextSibling) {
        if (node.nodeType === 1 && node.namespaceURI === BPMN && node.localName === "documentation") { after = node; }
      }
      task.insertBefore(extensions, after ? after.nextSibling : task.firstChild);
    }
    var properties = childNS(extensions, SPIFF, "properties");
    if (!properties) {
      properties = doc.createElementNS(SPIFF, "spiffworkflow:properties");
      extensions.appendChild(properties);
    }
    setProperty(doc, properties, FORM_SCHEMA, form ? form + ".schema.json" : "");
    setProperty(doc, properties, FORM_UI, form ? form + ".uischema.json" : "");
  }

  function applyFormEdits(xml) {
    var ids = Object.keys(formEdits);
    if (!ids.length) { return xml; }
    var doc = new DOMParser().parseFromString(xml, "application/xml");
    var definitions = doc.documentElement;
    if (!definitions.lookupPrefix(SPIFF)) {
      definitions.setAttributeNS(XMLNS, "xmlns:spiffworkflow", SPIFF);
    }
    ids.forEach(function (id) {
      var task = byId(doc, id);
      if (task && task.localName === "userTask") { setForm(doc, task, formEdits[id]); }
    });
    var out = new XMLSerializer().serializeToString(doc);
    return /^<\?xml/.test(out) ? out : '<?xml version="1.0" encoding="UTF-8"?>\n' + out;
  }

  function setInstructions(doc, task, value) {
    var prefix = task.prefix ? task.prefix + ":" : "";
    var extensions = childNS(task, BPMN, "extensionElements");
    if (!extensions) {
      if (!value) { return; }
      extensions = doc.createElementNS(BPMN, prefix + "extensionElements");
      var after = null;  // the schema wants extensionElements right after any documentation
      for (var node = task.firstChild; node; node = node.nextSibling) {
        if (node.nodeType === 1 && node.namespaceURI === BPMN && node.localName === "documentation") { after = node; }
      }
      task.insertBefore(extensions, after ? after.nextSibling : task.firstChild);
    }
    var existing = childNS(extensions, SPIFF, INSTRUCTIONS);
    if (!value.trim()) {
      if (existing) { extensions.removeChild(existing); }
      return;
    }
    if (!existing) {
      existing = doc.createElementNS(SPIFF, "spiffworkflow:" + INSTRUCTIONS);
      extensions.insertBefore(existing, extensions.firstChild);
    }
    existing.textContent = value;  // text: the serializer escapes <, & — markup stays text
  }

  function applyInstructionEdits(xml) {
    var ids = Object.keys(instructionEdits);
    if (!ids.length) { return xml; }
    var doc = new DOMParser().parseFromString(xml, "application/xml");
    if (!doc.documentElement.lookupPrefix(SPIFF)) {
      doc.documentElement.setAttributeNS(XMLNS, "xmlns:spiffworkflow", SPIFF);
    }
    ids.forEach(function (id) {
      var task = byId(doc, id);
      if (task && task.localName === "userTask") { setInstructions(doc, task, instructionEdits[id]); }
    });
    var out = new XMLSerializer().serializeToString(doc);
    return /^<\?xml/.test(out) ? out : '<?xml version="1.0" encoding="UTF-8"?>\n' + out;
  }

  function serialize() {
    return modeler.saveXML({ format: true }).then(function (saved) {
      return applyInstructionEdits(applyFormEdits(saved.xml));
    });
  }

  // --- the panel ----------------------------------------------------------------------------

  function timerOf(bo) {
    return (bo.eventDefinitions || []).filter(function (d) { return d.$type === "bpmn:TimerEventDefinition"; })[0];
  }

  function timerKind(definition) {
    return ["timeDate", "timeDuration", "timeCycle"].filter(function (k) { return definition.get(k); })[0] || "timeDate";
  }

  function instructionsOf(id) {
    return Object.prototype.hasOwnProperty.call(instructionEdits, id) ? instructionEdits[id] : (originalInstructions[id] || "");
  }

  function formOf(id) {
    return Object.prototype.hasOwnProperty.call(formEdits, id) ? formEdits[id] : (originalForms[id] || "");
  }

  function show(name, visible) {
    root.querySelector("[data-panel=" + name + "]").classList.toggle("d-none", !visible);
  }

  function ensureOption(select, value, suffix) {
    if (value && !Array.prototype.some.call(select.options, function (o) { return o.value === value; })) {
      var option = document.createElement("option");
      option.value = value;
      option.textContent = value + " " + suffix;
      option.dataset.extra = "yes";
      select.appendChild(option);
    }
    select.value = value;
  }

  function showPanel(element) {
    if (element && element.type === "label") { element = element.labelTarget; }
    if (element && element === canvas.getRootElement()) { element = null; }
    current = element;
    document.getElementById("panel-empty").classList.toggle("d-none", !!element);
    document.getElementById("panel-fields").classList.toggle("d-none", !element);
    if (!element) { return; }
    var bo = element.businessObject, type = bo.$type, timer = timerOf(bo);
    document.getElementById("panel-type").textContent = text.types[type] || type.replace("bpmn:", "");
    document.getElementById("panel-id").textContent = element.id;
    root.querySelectorAll("#p-role option[data-extra], #p-form option[data-extra]").forEach(function (o) { o.remove(); });
    show("name", type !== "bpmn:Lane");
    show("role", type === "bpmn:Lane");
    show("form", type === "bpmn:UserTask");
    show("instructions", type === "bpmn:UserTask");
    show("script", type === "bpmn:ScriptTask");
    show("condition", type === "bpmn:SequenceFlow");
    show("timer", !!timer);
    document.getElementById("p-name").value = bo.name || "";
    if (type === "bpmn:Lane") { ensureOption(document.getElementById("p-role"), bo.name || "", text.invalidRole); }
    if (type === "bpmn:UserTask") { ensureOption(document.getElementById("p-form"), formOf(element.id), text.unknownForm); }
    if (type === "bpmn:UserTask") { document.getElementById("p-instructions").value = instructionsOf(element.id); }
    if (type === "bpmn:ScriptTask") { document.getElementById("p-script").value = bo.script || ""; }
    if (type === "bpmn:SequenceFlow") {
      document.getElementById("p-condition").value = bo.conditionExpression ? (bo.conditionExpression.body || "") : "";
    }
    if (timer) {
      var kind = timerKind(timer), expression = timer.get(kind);
      document.getElementById("p-timer-kind").value = kind;
      document.getElementById("p-timer").value = expression ? (expression.body || "") : "";
    }
  }

  function expression(body) {
    return body.trim() ? factory.create("bpmn:FormalExpression", { body: body }) : undefined;
  }

  function onPanel(id, eventName, apply) {
    document.getElementById(id).addEventListener(eventName, function (event) {
      if (current && registry.get(current.id)) { apply(current, event.target.value); }
    });
  }

  onPanel("p-name", "input", function (element, value) { modeling.updateProperties(element, { name: value }); });
  onPanel("p-role", "change", function (element, value) { modeling.updateProperties(element, { name: value }); });
  onPanel("p-form", "change", function (element, value) { formEdits[element.id] = value; dirty = true; });
  onPanel("p-instructions", "input", function (element, value) { instructionEdits[element.id] = value; dirty = true; });
  onPanel("p-script", "input", function (element, value) { modeling.updateProperties(element, { script: value }); });
  onPanel("p-condition", "input", function (element, value) {
    modeling.updateProperties(element, { conditionExpression: expression(value) });
  });
  function applyTimer(element) {
    var timer = timerOf(element.businessObject);
    var changes = { timeDate: undefined, timeDuration: undefined, timeCycle: undefined };
    changes[document.getElementById("p-timer-kind").value] = expression(document.getElementById("p-timer").value);
    modeling.updateModdleProperties(element, timer, changes);
  }
  onPanel("p-timer", "input", applyTimer);
  onPanel("p-timer-kind", "change", applyTimer);

  modeler.on("selection.changed", function (event) {
    showPanel(event.newSelection.length === 1 ? event.newSelection[0] : null);
  });
  modeler.on("commandStack.changed", function () { dirty = true; });
  modeler.on("shape.changed", 250, function (event) { labelLane(event.element); });  // after the redraw
  modeler.on("element.changed", function (event) {  // a name edited directly on the canvas
    var name = document.getElementById("p-name");
    if (current && event.element === current && document.activeElement !== name) {
      name.value = current.businessObject.name || "";
    }
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = text.leave; }
  });

  // --- finding, problems, messages ------------------------------------------------------------

  function shapeFor(id) {
    if (!id) { return null; }
    var direct = registry.get(id);
    if (direct) { return direct; }
    return registry.filter(function (element) {  // an event definition, a loop, or a process of a pool
      var bo = element.businessObject || {};
      return (bo.eventDefinitions || []).some(function (d) { return d.id === id; }) ||
        (bo.loopCharacteristics && bo.loopCharacteristics.id === id) ||
        (bo.$type === "bpmn:Participant" && bo.processRef && bo.processRef.id === id);
    })[0] || null;
  }

  function focus(element) {
    canvas.zoom(1);
    canvas.scrollToElement(element, { top: 120, bottom: 120, left: 200, right: 200 });
    selection.select(element);
  }

  function find() {
    var wanted = document.getElementById("find").value.trim();
    if (!wanted) { return; }
    var element = shapeFor(wanted) || registry.filter(function (e) {
      return e.type !== "label" && e.businessObject && (e.businessObject.name || "").toLowerCase() === wanted.toLowerCase();
    })[0];
    if (element) { focus(element); } else { message("warning", text.notFound); }
  }
  document.getElementById("find-go").addEventListener("click", find);
  document.getElementById("find").addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); find(); }
  });

  function message(kind, content, testid) {
    result.innerHTML = "";
    if (!content) { return; }
    var alert = document.createElement("div");
    alert.className = "alert alert-" + kind + " py-2";
    alert.setAttribute("role", "alert");
    alert.dataset.testid = testid || "editor-message";
    alert.textContent = content;
    result.appendChild(alert);
  }

  function clearMarks() {
    marked.forEach(function (id) { if (registry.get(id)) { canvas.removeMarker(id, PROBLEM); } });
    marked = [];
  }

  function showProblems(problems) {
    clearMarks();
    problemList.innerHTML = "";
    problemsTitle.classList.toggle("d-none", !problems.length);
    problems.forEach(function (problem) {
      var item = document.createElement("li");
      item.className = "list-group-item";
      item.dataset.problemElement = problem.element_id || "";
      item.dataset.problemFile = problem.file_name || "";
      var where = [];
      if (problem.file_name && problem.file_name !== config.file) { where.push(problem.file_name); }
      if (problem.element_id) { where.push(text.element + " " + problem.element_id); }
      if (problem.line) { where.push(text.line + " " + problem.line); }
      var head = document.createElement("strong");
      head.textContent = where.join(" · ");
      item.appendChild(head);
      item.appendChild(document.createTextNode((where.length ? " — " : "") + problem.message));
      if (problem.detail) {  // the library's own words (English), apart from what the admin must do
        var details = document.createElement("details");
        var summary = document.createElement("summary");
        var code = document.createElement("code");
        details.className = "text-muted";
        details.dataset.testid = "problem-detail";
        summary.textContent = text.detail;
        code.lang = "en";
        code.textContent = problem.detail;
        details.appendChild(summary);
        details.appendChild(code);
        item.appendChild(details);
      }
      var mine = !problem.file_name || problem.file_name === config.file;
      var shape = mine ? shapeFor(problem.element_id) : null;
      if (shape) {
        canvas.addMarker(shape.id, PROBLEM);
        marked.push(shape.id);
        item.classList.add("list-group-item-action");
        item.setAttribute("role", "button");
        item.tabIndex = 0;
        item.addEventListener("click", function () { showTab("diagram"); focus(shape); });
      }
      problemList.appendChild(item);
    });
  }

  function post(url, fields) {
    return serialize().then(function (xml) {
      var body = new FormData();
      body.append("csrf_token", csrf);
      body.append("xml", xml);
      Object.keys(fields || {}).forEach(function (key) { body.append(key, fields[key]); });
      return fetch(url, { method: "POST", body: body, credentials: "same-origin",
                          headers: { Accept: "application/json" } });
    }).then(function (response) {
      return response.json().then(function (json) { return { status: response.status, json: json }; });
    });
  }

  function busy(on) {
    ["validate", "deploy", "apply-xml"].forEach(function (id) { document.getElementById(id).disabled = on; });
    root.dataset.state = on ? "busy" : "ready";
  }

  function report(answer) {
    var problems = answer.json.problems || [];
    showProblems(problems);
    if (problems.length) {
      message("danger", text.problems.replace("{count}", problems.length), "editor-problems");
    } else if (answer.status >= 400) {
      message("danger", answer.json.message || text.failed);
    }
    return problems;
  }

  document.getElementById("validate").addEventListener("click", function () {
    busy(true);
    message("info", text.validating);
    post(config.validateUrl).then(function (answer) {
      if (!report(answer).length && answer.status < 400) { message("success", text.valid, "editor-valid"); }
    }).catch(function () { message("danger", text.failed); }).then(function () { busy(false); });
  });

  document.getElementById("deploy").addEventListener("click", function () {
    var comment = document.getElementById("comment");
    if (!comment.value.trim()) {
      message("warning", text.needComment);
      comment.focus();
      return;
    }
    busy(true);
    message("info", text.deploying);
    post(config.deployUrl, { comment: comment.value }).then(function (answer) {
      report(answer);
      if (answer.json.ok) {
        dirty = false;
        message(answer.json.created ? "success" : "info", answer.json.message, "deploy-result");
        root.dataset.deployed = String(answer.json.number);
        root.querySelector("h1 small").textContent = text.openedFrom.replace("{number}", answer.json.number);
      }
    }).catch(function () { message("danger", text.failed); }).then(function () { busy(false); });
  });

  // --- tabs and the XML fallback ----------------------------------------------------------------

  function showTab(name) {
    var xml = name === "xml";
    document.getElementById("modeler").classList.toggle("d-none", xml);
    document.getElementById("xml-pane").classList.toggle("d-none", !xml);
    document.getElementById("tab-diagram").classList.toggle("active", !xml);
    if (!xml) { canvas.resized(); }
    document.getElementById("tab-xml").classList.toggle("active", xml);
    root.dataset.tab = name;
  }

  document.getElementById("tab-xml").addEventListener("click", function () {
    serialize().then(function (xml) { xmlArea.value = xml; showTab("xml"); });
  });
  document.getElementById("tab-diagram").addEventListener("click", function () { showTab("diagram"); });
  document.getElementById("apply-xml").addEventListener("click", function () {
    busy(true);
    showTab("diagram");  // bpmn-js measures its container while importing: it must be shown
    load(xmlArea.value).then(function () {
      dirty = true;
      showProblems([]);
      message("info", text.applied, "xml-applied");
    }).catch(function (error) {
      showTab("xml");
      message("danger", text.xmlError + " " + (error && error.message ? error.message : error), "xml-error");
    }).then(function () { busy(false); });
  });

  load(xmlArea.value).then(function () { dirty = false; }).catch(function (error) {  // unreadable as stored
    showTab("xml");
    message("danger", text.xmlError + " " + (error && error.message ? error.message : error), "xml-error");
  });
})();
