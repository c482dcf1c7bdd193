"""The hardened jinja environment a Word template runs in, and its time limit.

A template is untrusted code. `PlanSandbox` lets it read plain data only (dict, list,
str, int, float, bool, None and a short list of their harmless methods), caps what it
can build (text and lists at `MAX_TEXT` characters / `MAX_ITEMS` items, `range()` at
`MAX_ITEMS`, numbers at `MAX_INT_BITS` bits, the output of the body at `MAX_OUTPUT`
characters and of any other part at `MAX_PART_OUTPUT` (`output_limit`)), and `deadline()`
stops a render that runs past its time limit or grows the process by more than
`MAX_MEMORY`.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import re
import resource
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import jinja2
from jinja2 import filters as jfilters
from jinja2.compiler import CodeGenerator, Frame
from jinja2.nodes import Concat, EvalContext
from jinja2.runtime import Context, LoopContext
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from jinja2.utils import Namespace
from markupsafe import Markup, escape

MAX_TEXT = 1_000_000
"""Longest text a template may build (characters)."""
MAX_ITEMS = 10_000
"""Longest list or range a template may build."""
MAX_INT_BITS = 4_096
"""Largest whole number a template may compute (bits)."""
MAX_OUTPUT = 20_000_000
"""Most characters the document's body may render to (the largest XML part plangen reads
back, `package_safety.MAX_XML_BYTES`; a tree of it takes about ten times that)."""
MAX_PART_OUTPUT = 2_000_000
"""Most characters any other part (a header, a footer, the footnotes, the endnotes) may
render to."""
MAX_TOTAL_OUTPUT = 32_000_000
"""Most characters all parts of one document may render to together
(`package_safety.MAX_TREE_BYTES`)."""
MAX_MEMORY = 512 * 1024 * 1024
"""Bytes a process may grow by while compiling and rendering one template (a backstop
behind the caps above, which keep any one value small)."""
TIME_LIMIT = 20.0
"""Seconds a whole render may take; `PLANGEN_RENDER_SECONDS` overrides it."""

PLAIN = (dict, list, tuple, str, int, float, bool, type(None))
SAFE_METHODS: dict[type, frozenset[str]] = {
    str: frozenset(
        {
            *("capitalize", "casefold", "count", "endswith", "find", "index", "isalnum"),
            *("isalpha", "isdigit", "islower", "isspace", "istitle", "isupper", "lower"),
            *("lstrip", "partition", "removeprefix", "removesuffix", "rfind", "rindex"),
            *("rpartition", "rsplit", "rstrip", "split", "splitlines", "startswith"),
            *("strip", "swapcase", "title", "upper"),
        }
    ),
    dict: frozenset({"get", "items", "keys", "values"}),
    list: frozenset({"count", "index"}),
    tuple: frozenset({"count", "index"}),
}
"""Methods a template may call, by type. Nothing that pads, repeats or formats."""


_DOCXTPL_MARKS = re.compile(r"(?<=\{)_(?=[{%])|(?<=[}%])_(?=\})")
"""The `_` of `{_{`, `}_}`, `{_%`, `%_}`: docxtpl turns these into `{{ }} {% %}` in the
rendered XML (its way of letting template text show jinja tags)."""


def keep_literal(value: str) -> Markup:
    """`value` escaped for XML, with the `_` of docxtpl's marks written as `&#95;` (the same
    character once the XML is read) so docxtpl's rewrite after rendering cannot match."""
    escaped = value if isinstance(value, Markup) else escape(value)
    return Markup(_DOCXTPL_MARKS.sub("&#95;", str(escaped)))


class RenderTimeout(BaseException):
    """Raised inside a render that ran past its time limit (a BaseException, so no
    `except Exception` in jinja or docxtpl swallows it)."""


class RenderTooBig(BaseException):
    """Raised inside a render that made the process grow past `MAX_MEMORY`."""


def time_limit() -> float:
    """The render time limit in seconds (`PLANGEN_RENDER_SECONDS`, else `TIME_LIMIT`)."""
    try:
        return float(os.environ.get("PLANGEN_RENDER_SECONDS", TIME_LIMIT))
    except ValueError:
        return TIME_LIMIT


def measure(obj: Any, budget: int = MAX_TEXT) -> int:
    """The characters and items in `obj`, nested ones included; SecurityError past `budget`."""
    total = 0
    stack = [obj]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            total += len(item)
        elif isinstance(item, dict):
            total += len(item)
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            total += len(item)
            stack.extend(item)
        else:
            total += 1
        if total > budget:
            raise SecurityError(f"the template builds a value larger than {budget:,} characters")
    if total >= LARGE_VALUE:
        check_memory()
    return total


LARGE_VALUE = 100_000
"""Characters or items from which a value built by a template has the memory checked."""
_ALLOWANCE = threading.local()


def check_memory() -> None:
    """RenderTooBig at once when the render under way (`deadline`) has grown the process
    past its allowance: a burst of large values is stopped where it is built, not only
    at the watchdog's next look."""
    ceiling = getattr(_ALLOWANCE, "ceiling", None)
    if ceiling is not None and _memory_in_use() > ceiling:
        raise RenderTooBig


def _check_int(value: Any) -> Any:
    if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
        raise SecurityError(f"the template computes a number larger than {MAX_INT_BITS} bits")
    return value


def _power(left: Any, right: Any) -> Any:
    ints = isinstance(left, int) and isinstance(right, int)
    if (
        ints
        and right > 0
        and abs(left) > 1
        and (abs(left).bit_length() - 1 or 1) * right > MAX_INT_BITS
    ):
        raise SecurityError(f"the template computes a number larger than {MAX_INT_BITS} bits")
    return left**right


def _times(left: Any, right: Any) -> Any:
    if isinstance(right, str | list | tuple) and isinstance(left, int):
        left, right = right, left
    if isinstance(left, str | list | tuple):
        if not isinstance(right, int):
            raise TypeError(f"cannot multiply {type(left).__name__} by {type(right).__name__}")
        limit = MAX_TEXT if isinstance(left, str) else MAX_ITEMS
        if right > 0 and measure(left, limit) * right > limit:
            raise SecurityError(
                f"the template repeats a value to more than {limit:,} "
                f"{'characters' if isinstance(left, str) else 'items'}"
            )
        repeated = left * right
        if len(repeated) >= LARGE_VALUE:
            check_memory()
        return repeated
    return _check_int(left * right)


def _plus(left: Any, right: Any) -> Any:
    if isinstance(left, str | list | tuple) and isinstance(right, str | list | tuple):
        if isinstance(left, str) and isinstance(right, str):
            if len(left) + len(right) > MAX_TEXT:
                raise SecurityError(f"the template builds a value longer than {MAX_TEXT:,}")
        elif len(left) + len(right) > MAX_ITEMS:
            raise SecurityError(f"the template builds a list longer than {MAX_ITEMS:,}")
        else:
            measure([left, right])
    return _check_int(left + right)


def _modulo(left: Any, right: Any) -> Any:
    if isinstance(left, str):
        raise SecurityError("`%` formatting is not allowed in a template; join text with ~")
    return left % right


def _safe_range(*args: int) -> range:
    rng = range(*args)
    if len(rng) > MAX_ITEMS:
        raise SecurityError(f"range() is limited to {MAX_ITEMS:,} numbers")
    return rng


def _capped_join(join: Callable[[Iterable[Any]], str], parts: tuple[Any, ...]) -> str:
    measure(parts)
    return join(parts)


ARG_LIMITS = {"tojson": 8, "truncate": MAX_TEXT}
"""Largest whole-number argument a filter takes (an indent, a length, a count); any other
filter's numbers are limited to `MAX_ITEMS`."""


class _Capped(Iterator[Any]):
    """A filter's lazy output (`map`, `select`, `slice`, `batch`...), refused once the
    items it has yielded hold more than `MAX_ITEMS` items or `MAX_TEXT` characters."""

    def __init__(self, items: Iterator[Any], name: str) -> None:
        self._items, self._name, self._count, self._size = items, name, 0, 0

    def __iter__(self) -> _Capped:
        return self

    def __next__(self) -> Any:
        item = next(self._items)
        self._count += 1
        self._size += measure(item)
        if self._count > MAX_ITEMS or self._size > MAX_TEXT:
            raise SecurityError(
                f"{self._name}() builds more than {MAX_ITEMS:,} items or {MAX_TEXT:,} characters"
            )
        return item


def bounded(value: Any, name: str = "a filter") -> Any:
    """`value` checked against the caps; a lazy sequence is read (capped) into a list."""
    if isinstance(value, Iterator):
        return list(_Capped(value, name))
    if isinstance(value, str | list | tuple | dict):
        measure(value)
    return value


def _capped_filter(name: str, original: Callable[..., Any]) -> Callable[..., Any]:
    """`original` with its inputs and its output held to the caps, whatever it does."""
    limit = ARG_LIMITS.get(name, MAX_ITEMS)

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        start = 1 if args and isinstance(args[0], EvalContext | Context | jinja2.Environment) else 0
        values = list(args)
        for i in range(start, len(values)):
            values[i] = bounded(values[i], name)
        for key, arg in kwargs.items():
            kwargs[key] = bounded(arg, name)
        for arg in [*values[start + 1 :], *kwargs.values()]:
            if isinstance(arg, int | float) and not isinstance(arg, bool) and abs(arg) > limit:
                raise SecurityError(f"{name}() takes numbers up to {limit:,}, not {arg:,}")
        result = original(*values, **kwargs)
        if isinstance(result, Iterator):
            return _Capped(result, name)
        if isinstance(result, str | list | tuple | dict):
            measure(result)
        return _check_int(result)

    wrapped.__name__ = getattr(original, "__name__", name)
    if hasattr(original, "jinja_pass_arg"):
        # jinja marks a filter by an attribute on the function, which mypy cannot type
        wrapped.jinja_pass_arg = original.jinja_pass_arg  # type: ignore[attr-defined]
    return wrapped


def _replace_check(*args: Any, **_: Any) -> None:
    value, old, new = args[-3:] if len(args) >= 3 else ("", "", "")
    text = str(value)
    count = text.count(str(old)) if old else len(text) + 1
    if len(text) + count * len(str(new)) > MAX_TEXT:
        raise SecurityError(f"replace() would build more than {MAX_TEXT:,} characters")


def _checked_replace(*args: Any, **kwargs: Any) -> Any:
    _replace_check(*args, **kwargs)
    return jfilters.do_replace(*args, **kwargs)


# jinja marks a filter by an attribute on the function, which mypy cannot type
_checked_replace.jinja_pass_arg = jfilters.do_replace.jinja_pass_arg  # type: ignore[attr-defined]


@jinja2.pass_environment
def _stepwise_sum(
    environment: jinja2.Environment, iterable: Iterable[Any], attribute: Any = None, start: Any = 0
) -> Any:
    """jinja's `sum`, adding one item at a time with the capped `+` (Python's `sum` of lists
    is one long C call a time limit cannot stop)."""
    if attribute is not None:
        iterable = map(jfilters.make_attrgetter(environment, attribute), iterable)
    total = start
    for item in iterable:
        total = _plus(total, item)
    return total


class _Generator(CodeGenerator):
    """Compiles `a ~ b` so the joined text is measured before it is built."""

    def visit_Concat(self, node: Concat, frame: Frame) -> None:
        func = "markup_join" if frame.eval_ctx.autoescape else "str_join"
        if frame.eval_ctx.volatile:
            func = "(markup_join if context.eval_ctx.volatile else str_join)"
        self.write(f"environment.capped_join({func}, (")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class PlanSandbox(ImmutableSandboxedEnvironment):
    """Sandboxed, strict, escaping jinja environment with caps on size; see the module doc."""

    code_generator_class = _Generator
    intercepted_binops = frozenset({"*", "**", "+", "%"})
    capped_join = staticmethod(_capped_join)

    def __init__(self) -> None:
        super().__init__(undefined=jinja2.StrictUndefined, autoescape=True, finalize=self._finalize)
        self.globals = {"range": _safe_range, "dict": dict, "namespace": Namespace}
        for name in ("center", "indent", "format", "wordwrap", "xmlattr", "urlize", "pprint"):
            self.filters.pop(name, None)
        self.filters["replace"] = _checked_replace
        self.filters["sum"] = _stepwise_sum
        self.filters = {name: _capped_filter(name, f) for name, f in self.filters.items()}

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        """`*`, `**`, `+` and `%` checked against the caps before they run."""
        checked = {"*": _times, "**": _power, "+": _plus, "%": _modulo}.get(operator)
        if checked is not None:
            return checked(left, right)
        return super().call_binop(context, operator, left, right)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """Only plain values' listed methods, loop variables and namespaces are readable."""
        if attr.startswith("_"):
            return False
        if isinstance(obj, LoopContext | Namespace):
            return super().is_safe_attribute(obj, attr, value)
        if isinstance(obj, Markup):
            return attr in SAFE_METHODS[str]
        if type(obj) not in PLAIN:
            return False
        return attr in SAFE_METHODS.get(type(obj), frozenset())

    def is_safe_callable(self, obj: Any) -> bool:
        """Reachable functions and methods, `namespace()` and `dict()`; no other class."""
        allowed = obj in (Namespace, dict) or not isinstance(obj, type)
        return allowed and super().is_safe_callable(obj)

    def concat(self, parts: Iterable[str]) -> str:
        """Join rendered pieces, refusing past the limit of the part being rendered
        (`output_limit`; `MAX_OUTPUT` outside one)."""
        limit, name = getattr(_OUTPUT, "limit", (MAX_OUTPUT, ""))
        pieces: list[str] = []
        total = 0
        for piece in parts:
            total += len(piece)
            if total > limit:
                raise SecurityError(
                    f"the template renders more than {limit:,} characters{name}"
                )
            pieces.append(piece)
        return "".join(pieces)

    @staticmethod
    def _finalize(value: Any) -> Any:
        """Every printed value: measured, and kept literal through docxtpl's clean-up."""
        if isinstance(value, dict | list | tuple):
            measure(value)
        if isinstance(value, str) and "_" in value:
            return keep_literal(value)
        return value


_OUTPUT = threading.local()


@contextlib.contextmanager
def output_limit(limit: int, part: str = "") -> Iterator[None]:
    """Render the block's templates with their output held to `limit` characters, the
    refusal naming `part` (`word/header1.xml`)."""
    outer = getattr(_OUTPUT, "limit", None)
    _OUTPUT.limit = (limit, f" in {part}" if part else "")
    try:
        yield
    finally:
        if outer is None:
            del _OUTPUT.limit
        else:
            _OUTPUT.limit = outer


def _memory_in_use() -> int:
    """Bytes of memory this process holds now (Linux), else its peak so far."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


@contextlib.contextmanager
def deadline(seconds: float, memory: int | None = None) -> Iterator[None]:
    """Raise RenderTimeout in this thread if the block runs longer than `seconds`, and
    RenderTooBig if the process grows by more than `memory` bytes meanwhile.

    A watchdog thread looks every 50 ms and injects the exception with
    `PyThreadState_SetAsyncExc`, which works in any thread (unlike `signal.setitimer`,
    main thread only) and stops pure-Python loops at the next bytecode; long single C
    operations are prevented by the caps.
    """
    target = threading.get_ident()
    lock = threading.Lock()
    stop = threading.Event()
    state: dict[str, Any] = {"done": False, "fired": None}
    ends = time.monotonic() + seconds
    baseline = _memory_in_use()
    memory = MAX_MEMORY if memory is None else memory

    def fire(exc: type[BaseException]) -> None:
        with lock:
            if not state["done"]:
                state["fired"] = exc
                ctypes.pythonapi.PyThreadState_SetAsyncExc(
                    ctypes.c_ulong(target), ctypes.py_object(exc)
                )

    def watch() -> None:
        while True:
            left = ends - time.monotonic()
            if left <= 0:
                return fire(RenderTimeout)
            if stop.wait(min(0.05, left)):
                return
            if _memory_in_use() - baseline > memory:
                return fire(RenderTooBig)

    watchdog = threading.Thread(target=watch, daemon=True)
    watchdog.start()
    outer = getattr(_ALLOWANCE, "ceiling", None)
    _ALLOWANCE.ceiling = baseline + memory
    try:
        yield
    finally:
        _ALLOWANCE.ceiling = outer
        with lock:
            state["done"] = True
            if state["fired"]:  # clear an exception not yet delivered
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target), None)
        stop.set()
    if state["fired"]:
        raise state["fired"]
