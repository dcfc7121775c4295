"""Deployment checks of a process's steps: every lane a known role, every person's step in a lane with a form
of the deployment, and no step of a kind this application cannot run."""
from . import decisions
from .bpmn_tree import BPMN, id_of, lane_of, problem, properties
from .form_refs import closest_form, form_name, looked_for


def lane_problems(name, process, known_roles):
    problems, lanes = [], lane_of(process)
    for lane in process.iter(f"{{{BPMN}}}lane"):
        if (lane.get("name") or "") not in known_roles:
            roles = ", ".join(sorted(known_roles))
            problems.append(problem(f"The lane '{lane.get('name') or ''}' is not a known role (roles: {roles}).",
                                    lane, name, "unknown_lane_role", lane=lane.get("name") or "", roles=roles))
    for task in process.iter(f"{{{BPMN}}}userTask", f"{{{BPMN}}}manualTask"):
        if id_of(task) not in lanes:
            problems.append(problem(f"The user task '{task.get('name') or id_of(task)}' is in no lane: "
                                    "nobody would be asked to do it.", task, name, "task_without_lane",
                                    task=task.get("name") or id_of(task)))
    return problems


def form_problems(name, process, form_names):
    problems = []
    for task in process.iter(f"{{{BPMN}}}userTask", f"{{{BPMN}}}manualTask"):  # a person's step needs a form
        form = form_name(properties(task).get("formJsonSchemaFilename"))
        if not form:
            problems.append(problem(f"The user task '{task.get('name') or id_of(task)}' names no form "
                                    "(property formJsonSchemaFilename).", task, name, "task_without_form",
                                    task=task.get("name") or id_of(task)))
        elif form not in form_names:
            problems.append(_unknown_form(task, name, form, form_names))
        else:
            problems += _ui_file_problems(task, form, name)
    return problems


def _ui_file_problems(task, form, name):
    """formUiSchemaFilename naming another file than the one read (SpiffArena's `step01-uischema.json`):
    the hints would be dropped without a word, so the task says which file is read."""
    named = (properties(task).get("formUiSchemaFilename") or "").strip()
    ui_file = looked_for(form)[1]
    if not named or named == ui_file:
        return []
    return [problem(f"The task's formUiSchemaFilename names '{named}', but the UI hints of the form '{form}' are "
                    f"read from {ui_file}: name that file (or leave the property out).", task, name,
                    "ui_file_mismatch", named=named, form=form, ui_file=ui_file)]


def _unknown_form(task, name, form, form_names):
    """The form is missing: say the file names looked for, and the nearest form there is."""
    schema_file, ui_file = looked_for(form)
    closest = closest_form(form, form_names)
    message = (f"The form '{form}' named by this task is not in the deployment: looked for the files {schema_file} "
               f"(its fields) and {ui_file} (optional UI hints).")
    if closest is None:
        return problem(message, task, name, "unknown_form", form=form, schema_file=schema_file, ui_file=ui_file)
    return problem(f"{message} The closest form there is: '{closest}' ({looked_for(closest)[0]}).", task, name,
                   "unknown_form_closest", form=form, schema_file=schema_file, ui_file=ui_file, closest=closest,
                   closest_file=looked_for(closest)[0])


def task_kind_problems(name, process, decision_ids):
    """Steps this application cannot run: they would wait in nobody's inbox, or fail when reached."""
    problems = []
    for task in process.iter(f"{{{BPMN}}}task"):
        problems.append(problem(f"'{task.get('name') or id_of(task)}' is a plain task (bpmn:task), which nothing "
                                "runs here: use a user task with a form for a step a person does, or a script task "
                                "for a step the system does.", task, name, "plain_task",
                                task=task.get("name") or id_of(task)))
    for task in process.iter(f"{{{BPMN}}}scriptTask"):
        script = task.find(f"{{{BPMN}}}script")
        if script is None or not (script.text or "").strip():
            problems.append(problem(f"The script task '{task.get('name') or id_of(task)}' has no script.", task,
                                    name, "script_missing"))
    for task in process.iter(f"{{{BPMN}}}serviceTask"):
        problems.append(problem(f"'{task.get('name') or id_of(task)}' is a service task: this application "
                                "calls no services; use a script task.", task, name, "service_task",
                                task=task.get("name") or id_of(task)))
    for task in process.iter(f"{{{BPMN}}}businessRuleTask"):
        decision = decisions.decision_ref(task)
        if not decision:
            problems.append(problem("The business rule task names no decision (spiffworkflow:calledDecisionId).",
                                    task, name, "rule_task_without_decision"))
        elif decision not in decision_ids:
            known = ", ".join(sorted(decision_ids)) or "—"
            problems.append(problem(f"The decision '{decision}' is in no DMN file of the deployment (decisions: "
                                    f"{known}).", task, name, "unknown_decision", decision=decision,
                                    decisions=known))
    return problems
