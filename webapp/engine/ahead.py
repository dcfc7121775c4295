"""Which names the conditions still ahead of a case read.

A unit edit's preview asks whether a running case will still branch on a unit fact the edit
changes (delegation, sub-committee, grassroots cell: `services/unit_reroutes.py`). The answer
comes from the deployed spec, never from the case's stored state: walk forward from the steps
the case stands at and collect the names every gateway condition on the way reads. A loop
back (a failed vote, stale documents) is walked too: a fact read again there lies ahead.
"""
import ast


def _names(condition):
    """The variable names a condition expression reads; none for a default flow or a bad expression."""
    source = condition.args[0] if condition is not None and getattr(condition, "args", None) else None
    if not isinstance(source, str):
        return set()
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError:
        return set()
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}


def names_read_ahead(loaded, step_names):
    """The names read by the gateway conditions reachable from `step_names` (task spec names of the
    case's main process) in `loaded` (a LoadedProcess); from its start when none of them is in it."""
    specs = loaded.spec.task_specs
    stack = [specs[name] for name in step_names if name in specs] or [loaded.spec.start]
    seen, names = set(), set()
    while stack:
        spec = stack.pop()
        if spec.name in seen:
            continue
        seen.add(spec.name)
        for condition, _target in getattr(spec, "cond_task_specs", ()) or ():
            names |= _names(condition)
        stack.extend(spec.outputs)
    return frozenset(names)
