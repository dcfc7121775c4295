"""Expressions that need no worker: they cannot run away, allocate or change anything.

Most gateway conditions are a name, a comparison with a constant, ``not`` and ``and``/``or``
(``verification_status == 'clear'``, ``not has_subcommittee``). Such an expression calls nothing,
builds nothing and loops over nothing: its cost is bounded by the size of the task data it
compares, which is already in memory. Sending it to a worker would only add the round trip, so
it is evaluated in-process, under the same restrictions. Anything else — a call, arithmetic, a
subscript, a comprehension — goes to a worker.
"""
import ast
from functools import lru_cache

_PLAIN_NODES = (
    ast.Expression, ast.Name, ast.Load, ast.Constant, ast.BoolOp, ast.And, ast.Or, ast.UnaryOp, ast.Not,
    ast.USub, ast.UAdd, ast.Compare, ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.Is, ast.IsNot,
    ast.In, ast.NotIn, ast.Tuple, ast.List,
)
_MAX_CONSTANT_LENGTH = 1000


def _plain(node):
    if not isinstance(node, _PLAIN_NODES):
        return False
    if isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes)):
        return len(node.value) <= _MAX_CONSTANT_LENGTH
    return all(_plain(child) for child in ast.iter_child_nodes(node))


@lru_cache(maxsize=1024)
def is_plain(expression):
    """True when `expression` (already compiled under the restrictions) is safe to evaluate in-process."""
    try:
        tree = ast.parse(expression, mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return _plain(tree)
