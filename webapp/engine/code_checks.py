"""Diagram code refused at deployment because it is written to run away.

The sandbox stops any code that overruns its time or memory at run time, whatever it does. These
checks catch, before anything is stored, what can be seen in the text itself, and say why in the
administrator's language (the codes are worded by webapp/pages/problems.py):

- a handler that catches every error (``except:``, ``except Exception``, ``except BaseException``,
  a tuple holding one): it swallows the stop signal and hides real failures;
- a loop whose condition is a constant truth (``while True:``): it never ends by itself;
- a constant number too big to compute (``10**10**10``, ``1 << 10**10``), a constant repetition
  too long to build (``'a' * 10**10``), a constant ``range`` too long to walk (``range(10**12)``);
- a multi-instance cardinality that is a constant above the cap.

Only constants are judged: a value that comes from the task data is the sandbox's business.
"""
import ast
import math
from dataclasses import dataclass, field

from .sandbox import current_limits

CATCH_ALL = ("Exception", "BaseException")
MAX_CONSTANT_BITS = 4096          # about 1,233 decimal digits
MAX_REPETITION = 1_000_000        # items or characters built by `sequence * n`
MAX_RANGE = 1_000_000             # items in a constant range()


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    params: dict = field(default_factory=dict)


class _TooBig(Exception):
    def __init__(self, code, message, **params):
        super().__init__(message)
        self.finding = Finding(code, message, params)


def _catch_all_name(handler_type):
    if handler_type is None:
        return "except:"
    names = handler_type.elts if isinstance(handler_type, ast.Tuple) else [handler_type]
    for name in names:
        if isinstance(name, ast.Name) and name.id in CATCH_ALL:
            return f"except {name.id}"
    return None


def _always_true(test):
    if isinstance(test, ast.Constant):
        return bool(test.value)
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not) and isinstance(test.operand, ast.Constant):
        return not test.operand.value
    return False


def _fold(node):
    """The value of a constant expression, computed only when it is small; None when not constant."""
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, (int, float, str, bytes)) else None
    if isinstance(node, (ast.Tuple, ast.List)):
        items = [_fold(item) for item in node.elts]
        return None if any(item is None for item in items) else tuple(items)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        value = _fold(node.operand)
        return -value if isinstance(node.op, ast.USub) and isinstance(value, (int, float)) else value
    if isinstance(node, ast.BinOp):
        return _fold_binary(node, _fold(node.left), _fold(node.right))
    return None


def _whole(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _bits(value):
    return max(1, abs(value).bit_length())


def _fold_binary(node, left, right):
    op = node.op
    if isinstance(op, ast.Pow):
        return _power(node, left, right)
    if isinstance(op, ast.LShift) and _whole(left) and _whole(right):
        if left and right > 0 and _bits(left) + right > MAX_CONSTANT_BITS:
            raise _TooBig("code_huge_number", f"{ast.unparse(node)} is a number of about {right:,} bits",
                          expression=ast.unparse(node)[:60], line=node.lineno)
        return left << right if right >= 0 else None
    if isinstance(op, ast.Mult):
        return _product(node, left, right)
    if left is None or right is None:
        return None
    try:
        if isinstance(op, ast.Add):
            return left + right
        if isinstance(op, ast.Sub):
            return left - right
        if isinstance(op, ast.FloorDiv):
            return left // right
        if isinstance(op, ast.Mod) and _whole(left):
            return left % right
    except (TypeError, ZeroDivisionError, ValueError, OverflowError):
        return None
    return None


def _power(node, base, exponent):
    if not _whole(exponent):
        return None
    if exponent > MAX_CONSTANT_BITS and (base is None or (_whole(base) and abs(base) > 1)):
        # Whatever the base (unless 0 or ±1), the result has at least `exponent` bits.
        raise _TooBig("code_huge_number", f"{ast.unparse(node)} has an exponent of {exponent:,}",
                      expression=ast.unparse(node)[:60], line=node.lineno)
    if not _whole(base) or exponent < 0:
        return None
    if abs(base) > 1 and exponent * math.log2(abs(base)) > MAX_CONSTANT_BITS:
        raise _TooBig("code_huge_number", f"{ast.unparse(node)} is a number of about "
                      f"{int(exponent * math.log2(abs(base))):,} bits", expression=ast.unparse(node)[:60],
                      line=node.lineno)
    return base ** exponent


def _product(node, left, right):
    if _whole(left) and _whole(right):
        if _bits(left) + _bits(right) > MAX_CONSTANT_BITS:
            raise _TooBig("code_huge_number", f"{ast.unparse(node)} is too large a number",
                          expression=ast.unparse(node)[:60], line=node.lineno)
        return left * right
    for sequence, count in ((left, right), (right, left)):
        if isinstance(sequence, (str, bytes, tuple)) and _whole(count):
            size = len(sequence) * count
            if size > MAX_REPETITION:
                raise _TooBig("code_huge_repeat", f"{ast.unparse(node)[:60]} builds {size:,} items",
                              expression=ast.unparse(node)[:60], size=size, limit=MAX_REPETITION, line=node.lineno)
            return None if isinstance(sequence, tuple) else sequence * count
    return None


def _range_size(node):
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "range"):
        return None
    args = [_fold(arg) for arg in node.args]
    if not args or not all(_whole(arg) for arg in args) or (len(args) == 3 and args[2] == 0):
        return None
    return len(range(*args[:3]))


def _node_findings(node):
    if isinstance(node, ast.ExceptHandler):
        handler = _catch_all_name(node.type)
        if handler:
            return [Finding("code_catch_all", f"line {node.lineno}: '{handler}' catches every error, the stop "
                            "signal included", {"handler": handler, "line": node.lineno})]
    if isinstance(node, ast.While) and _always_true(node.test):
        return [Finding("code_endless_loop", f"line {node.lineno}: the loop's condition is always true",
                        {"line": node.lineno})]
    if isinstance(node, (ast.BinOp, ast.Call)):
        try:
            size = _range_size(node) if isinstance(node, ast.Call) else (_fold(node), None)[1]
        except _TooBig as too_big:
            return [too_big.finding]
        if size is not None and size > MAX_RANGE:
            return [Finding("code_huge_range", f"line {node.lineno}: {ast.unparse(node)[:60]} walks {size:,} items",
                            {"expression": ast.unparse(node)[:60], "size": size, "limit": MAX_RANGE,
                             "line": node.lineno})]
    return []


def _outermost_binops(tree):
    """Every node, but an operand of a binary operation only through its outermost operation
    (so `10**10**10` is one finding, not two)."""
    inner = {id(child) for node in ast.walk(tree) if isinstance(node, ast.BinOp)
             for child in (node.left, node.right) if isinstance(child, ast.BinOp)}
    return [node for node in ast.walk(tree) if id(node) not in inner]


def findings(what, source, mode):
    """What is refused in one piece of code that already compiles (`what`: script, condition, …)."""
    try:
        tree = ast.parse(source.strip() if mode == "eval" else source, mode=mode)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []  # the compile check reports it
    found = []
    for node in _outermost_binops(tree):
        found += [finding for finding in _node_findings(node) if finding not in found]
    if what == "cardinality" and mode == "eval":
        found += _cardinality_findings(tree)
    return found


def _cardinality_findings(tree):
    limit = current_limits().max_cardinality
    try:
        value = _fold(tree.body)
    except _TooBig:
        value = None  # already reported as a huge number
    if _whole(value) and value > limit:
        return [Finding("cardinality_too_large", f"the cardinality is {value:,}; at most {limit:,} instances",
                        {"value": value, "limit": limit})]
    return []
