"""Bounds on what a Word template may make Jinja do: time, loop steps, the size of what it builds.

Jinja's sandbox stops a template from reaching into Python, not from running forever or filling
memory: ``{% for i in range(10**5) %}{% for j in range(10**5) %}`` loops 10^10 times, ``'A' * 10**9``
asks for a gigabyte and ``7 ** 10**9`` computes for hours in one C call. :class:`BoundedSandbox`
adds the bounds, each where Jinja offers a hook:

- every render keeps a :class:`Budget` (started by ``concat``, through which Jinja joins all output):
  a wall-clock deadline, a count of steps (loop iterations, calls, filters) and of output characters.
  Loops and calls are the only ways a template repeats anything, so the clock is read there (at each
  call and filter, every 1,024 loop steps); attribute look-ups are not counted, which keeps the cost
  of the bounds to a few percent of a PK's render;
- each ``{% for %}`` iterates through a counting wrapper (the code generator wraps the iterable),
  so even a loop with an empty body counts its steps;
- the operators and calls that can make something far larger than their operands (``*``, ``**``,
  ``+``, ``%``, ``~``, ``str.center``/``ljust``/``zfill``/..., ``replace``, ``join``, ``format`` and the
  filters that pad or repeat) are checked before they run, and every result after.

Going past a bound raises :class:`RenderLimit`, a :class:`jinja2.sandbox.SecurityError` whose message
says which bound; the renderers turn it into the finding ``word-limit`` (:mod:`kinerja_xl.findings.codes`) of the
template, so a build and ``kinerja-xl word check`` report it alike.
"""

from __future__ import annotations

import contextvars
import re
import string
import time
from collections.abc import Sized
from functools import wraps
from itertools import islice
from typing import Any, Iterable, Iterator

from jinja2 import nodes
from jinja2.compiler import CodeGenerator
from jinja2.sandbox import SandboxedEnvironment, SecurityError

MAX_SECONDS = 20.0  # wall clock per rendered part; the bundled LAKIP renders in well under 0.1 s
MAX_STEPS = 5_000_000  # loop iterations + calls + filters per rendered part; the example's LAKIP uses 1,154
MAX_LENGTH = 5_000_000  # characters of one string, items of one list, made by the template
MAX_OUTPUT = 20_000_000  # characters one rendered part may produce (the example's LAKIP body: 190,000)
MAX_MADE = 100_000_000  # characters/items of all the large values (64 k and more) one render makes, together
MAX_BITS = 100_000  # binary digits of an integer the template computes (about 30,000 decimal digits)
MAX_DEPTH = 60  # nested calls (a macro calling itself)

_STEP_FILTER = "kinerja_xl_langkah"  # the names the code generator's wrappers go by
_SIZE_FILTER = "kinerja_xl_ukuran"
_CHECK_EVERY = 1024  # steps between two looks at the clock
_LARGE = 65_536  # a string or list of this size counts towards MAX_MADE


class RenderLimit(SecurityError):
    """The template went past a bound; the message (Bahasa Indonesia) says which. It becomes the ``reason``
    of a ``word-limit`` finding (:func:`kinerja_xl.render.docx._problem`)."""


class Budget:
    """What one render may still spend."""

    __slots__ = ("deadline", "steps", "output", "depth", "made")

    def __init__(self) -> None:
        self.deadline = time.monotonic() + MAX_SECONDS
        self.steps = 0
        self.output = 0
        self.depth = 0
        self.made = 0

    def step(self, *, clock: bool = False) -> None:
        """One more step; the clock is read every :data:`_CHECK_EVERY` steps, or now when ``clock`` (a call
        or a filter, which may run long in one go: sorting five million items)."""
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise RenderLimit(f"template menjalankan lebih dari {_n(MAX_STEPS)} langkah (perulangan, panggilan) "
                              "untuk satu dokumen")
        if clock or not self.steps % _CHECK_EVERY:
            self.check_clock()

    def check_clock(self) -> None:
        if time.monotonic() > self.deadline:
            raise RenderLimit(f"pengisian template melewati batas waktu {MAX_SECONDS:.0f} detik")


_current: contextvars.ContextVar[Budget | None] = contextvars.ContextVar("kinerja_xl_budget", default=None)


def _step(*, clock: bool = False) -> None:
    budget = _current.get()
    if budget is not None:  # outside a render (Jinja folding constants while compiling): nothing to count
        budget.step(clock=clock)


def _n(number: int) -> str:
    """1000000 as Indonesians write it: 1.000.000."""
    return f"{number:,}".replace(",", ".")


def _too_long(what: str, size: int) -> RenderLimit:
    return RenderLimit(f"template membuat {what} sepanjang {_n(size)} (batas {_n(MAX_LENGTH)})")


def _out_of_memory() -> RenderLimit:
    # Whatever the checks above let through: a MemoryError is still the template's doing, not a bug.
    return RenderLimit("memori tidak cukup untuk mengisi template")


def check_size(value: Any) -> Any:
    """``value`` unchanged, unless it is a string, list or number larger than the bounds."""
    if isinstance(value, int) and not isinstance(value, bool):
        if value.bit_length() > MAX_BITS:
            raise RenderLimit(f"template menghitung bilangan sebesar {_n(value.bit_length())} bit "
                              f"(batas {_n(MAX_BITS)})")
    elif isinstance(value, (str, bytes, list, tuple, dict, set, frozenset)) and len(value) >= _LARGE:
        if len(value) > MAX_LENGTH:
            raise _too_long("teks" if isinstance(value, str) else "daftar", len(value))
        budget = _current.get()
        if budget is not None:  # many large values kept (appended to a list): memory, not one value, runs out
            budget.made += len(value)
            if budget.made > MAX_MADE:
                raise RenderLimit(f"template membuat teks atau daftar besar berulang kali, bersama lebih dari "
                                  f"{_n(MAX_MADE)} karakter")
    return value


def _length(value: Any) -> int:
    return len(value) if isinstance(value, Sized) else 0


def _check_repeat(left: Any, right: Any) -> None:
    """``left * right`` where one side is a sequence: its length times the count."""
    for seq, count in ((left, right), (right, left)):
        if isinstance(seq, (str, bytes, list, tuple)) and isinstance(count, int) and count > 0:
            if len(seq) * count > MAX_LENGTH:
                raise _too_long("teks" if isinstance(seq, str) else "daftar", len(seq) * count)


def _bits(value: Any) -> int:
    return abs(value).bit_length() if isinstance(value, int) else 0


def _width(digits: str) -> int:
    # int() refuses more than 4,300 digits; any width of 19 or more digits is too wide anyway
    return int(digits) if len(digits) < 19 else 10**18


_PERCENT = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?")
_SPEC_NUMBER = re.compile(r"\d+")


def _check_percent_format(fmt: Any) -> None:
    if not isinstance(fmt, str):
        return
    for width, precision in _PERCENT.findall(fmt):
        for n in (width, precision):
            if n == "*":
                raise RenderLimit("template memakai lebar format '*' pada '%'; tulis lebarnya sebagai angka")
            if n and _width(n) > MAX_LENGTH:
                raise _too_long("teks berformat", _width(n))


def _check_brace_format(fmt: str) -> None:
    try:
        fields = list(string.Formatter().parse(fmt))
    except ValueError:
        return  # str.format reports it itself
    for _, _, spec, _ in fields:
        if not spec:
            continue
        if "{" in spec:
            raise RenderLimit("template memakai format bertingkat ('{:{}}'); tulis lebarnya sebagai angka")
        for n in _SPEC_NUMBER.findall(spec):
            if _width(n) > MAX_LENGTH:
                raise _too_long("teks berformat", _width(n))


class BoundedSandbox(SandboxedEnvironment):
    """A sandbox whose renders stop at the bounds of this module (see the module's description)."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.code_generator_class = _BoundedCodeGenerator
        self.filters = {name: _bounded_filter(name, f) for name, f in self.filters.items()}
        self.filters[_STEP_FILTER] = _counted
        self.filters[_SIZE_FILTER] = check_size
        self.globals["lipsum"] = _lipsum

    @staticmethod
    def concat(parts: Iterable[str]) -> str:  # type: ignore[override]
        """Join a render's output (every render ends here): the budget starts, the output is counted."""
        budget = _current.get()
        token = _current.set(Budget()) if budget is None else None
        try:
            budget = _current.get()
            assert budget is not None
            out: list[str] = []
            pieces = iter(parts)
            # A few pieces at a time (counting each in Python cost a tenth of a PK's render); few, since
            # each may be a string of MAX_LENGTH characters.
            for chunk in iter(lambda: list(islice(pieces, 16)), []):
                budget.output += sum(map(len, chunk))
                if budget.output > MAX_OUTPUT:
                    raise RenderLimit(f"template menghasilkan lebih dari {_n(MAX_OUTPUT)} karakter")
                budget.check_clock()
                out += chunk
            return "".join(out)
        finally:
            if token is not None:
                _current.reset(token)

    def call_binop(self, context, operator: str, left: Any, right: Any) -> Any:
        _step()
        if operator == "*":
            _check_repeat(left, right)
            if _bits(left) + _bits(right) > MAX_BITS:
                raise RenderLimit(f"template menghitung bilangan lebih dari {_n(MAX_BITS)} bit")
        elif operator == "**" and isinstance(left, int) and isinstance(right, int) and right > 0 \
                and abs(left) > 1 and _bits(left) * right > MAX_BITS:
            raise RenderLimit(f"template menghitung pangkat {left} ** {right}, lebih dari {_n(MAX_BITS)} bit")
        elif operator == "+" and _length(left) + _length(right) > MAX_LENGTH:
            raise _too_long("teks" if isinstance(left, str) else "daftar", _length(left) + _length(right))
        elif operator == "%":
            _check_percent_format(left)
        try:
            return check_size(super().call_binop(context, operator, left, right))
        except MemoryError:
            raise _out_of_memory() from None

    def wrap_str_format(self, value: Any):
        wrapped = super().wrap_str_format(value)
        if wrapped is not None:  # str.format and str.format_map
            _check_brace_format(value.__self__)
        return wrapped

    def call(__self, __context, __obj, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - Jinja's own signature
        budget = _current.get()
        if budget is not None:
            budget.step(clock=True)
            if budget.depth >= MAX_DEPTH:
                raise RenderLimit(f"template memanggil makro bertingkat lebih dari {MAX_DEPTH} kali "
                                  "(makro yang memanggil dirinya sendiri?)")
            budget.depth += 1
        try:
            _check_method(__obj, args, kwargs)
            result = check_size(super().call(__context, __obj, *args, **kwargs))
            owner = getattr(__obj, "__self__", None)
            if isinstance(owner, (list, dict, set, bytearray)) and len(owner) > MAX_LENGTH:
                raise _too_long("daftar", len(owner))  # l.extend(l) forty times: 2^40 items
            return result
        except MemoryError:
            raise _out_of_memory() from None
        except RecursionError:
            raise RenderLimit("template memanggil dirinya sendiri terlalu dalam (rekursi)") from None
        finally:
            if budget is not None:
                budget.depth -= 1


_PADDING = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs"})


def _check_method(obj: Any, args: tuple, kwargs: dict) -> None:
    """Refuse a str method call whose result would pass the bounds, before it runs."""
    owner = getattr(obj, "__self__", None)
    if not isinstance(owner, str):
        return
    name = getattr(obj, "__name__", "")
    if name in _PADDING:
        width = args[0] if args else kwargs.get("width", kwargs.get("tabsize", 0))
        if isinstance(width, int) and width * (owner.count("\t") + 1 if name == "expandtabs" else 1) > MAX_LENGTH:
            raise _too_long("teks", width)
    elif name == "replace" and len(args) >= 2:
        _check_replace(owner, args[0], args[1])
    elif name == "join" and args:
        _check_join(owner, args[0])
    elif name == "translate" and args and isinstance(args[0], dict):
        longest = max((_length(v) for v in args[0].values()), default=1)
        if len(owner) * longest > MAX_LENGTH:
            raise _too_long("teks", len(owner) * longest)


def _check_replace(s: Any, old: Any, new: Any) -> None:
    if isinstance(s, str) and isinstance(old, str) and isinstance(new, str):
        count = len(s) + 1 if not old else s.count(old)
        size = len(s) + count * (len(new) - len(old))
        if size > MAX_LENGTH:
            raise _too_long("teks", size)


def _check_join(sep: Any, items: Any) -> None:
    if isinstance(items, (list, tuple)):
        size = sum(_length(i) for i in items) + _length(sep) * max(len(items) - 1, 0)
        if size > MAX_LENGTH:
            raise _too_long("teks", size)


def _counted(iterable: Any) -> Iterator[Any]:
    """The iterable of a ``{% for %}``, each item counted as a step."""
    budget = _current.get()
    if budget is None:
        yield from iterable
        return
    for item in iterable:
        budget.step()
        yield item


def _lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:  # noqa: A002 - Jinja's names
    from jinja2.utils import generate_lorem_ipsum

    if n * max > MAX_LENGTH // 8:
        raise _too_long("teks lipsum", n * max * 8)
    return generate_lorem_ipsum(n=n, html=html, min=min, max=max)


# Filters whose result can be far larger than their input: their arguments are checked first.
_AMPLIFYING_FILTERS = frozenset({"center", "indent", "format", "replace", "join", "batch", "slice", "sum"})


def _pre_filter(name: str, args: tuple, kwargs: dict) -> None:
    value = args[0] if args else None
    rest = args[1:]
    if name == "center":
        width = rest[0] if rest else kwargs.get("width", 80)
        if isinstance(width, int) and width > MAX_LENGTH:
            raise _too_long("teks", width)
    elif name == "indent":
        width = rest[0] if rest else kwargs.get("width", 4)
        pad = width if isinstance(width, int) else _length(width)
        if pad * (str(value).count("\n") + 1) > MAX_LENGTH:
            raise _too_long("teks", pad * (str(value).count("\n") + 1))
    elif name == "format":
        _check_percent_format(value)
    elif name == "replace" and len(rest) >= 2:
        _check_replace(str(value), rest[0], rest[1])
    elif name == "join":
        _check_join(rest[0] if rest else kwargs.get("d", ""), value if isinstance(value, (list, tuple)) else None)
    elif name in ("batch", "slice"):
        count = rest[0] if rest else kwargs.get("linecount", kwargs.get("slices", 1))
        if isinstance(count, int) and count > MAX_LENGTH:
            raise _too_long("daftar", count)
    elif name == "sum":
        start = rest[2] if len(rest) > 2 else kwargs.get("start", 0)
        if isinstance(start, (list, tuple, str)) and isinstance(value, (list, tuple)):
            total = sum(_length(v) for v in value)
            if total > MAX_LENGTH or total * len(value) > MAX_STEPS * 20:
                raise _too_long("daftar", total)


def _bounded_filter(name: str, func: Any) -> Any:
    amplifying = name in _AMPLIFYING_FILTERS
    passes_first = getattr(func, "jinja_pass_arg", None) is not None  # the context or environment comes first

    @wraps(func)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        budget = _current.get()
        if budget is not None:
            budget.step(clock=True)
        if amplifying:
            _pre_filter(name, args[1:] if passes_first else args, kwargs)
        try:
            return check_size(func(*args, **kwargs))
        except MemoryError:
            raise _out_of_memory() from None

    return bounded


class _BoundedCodeGenerator(CodeGenerator):
    """Jinja's code generator, with each loop's iterable and each ``~`` counted and bounded."""

    def visit_Template(self, node: nodes.Template, frame=None) -> None:
        # Before any code is written: the generator collects the filters a template uses first.
        for loop in list(node.find_all(nodes.For)):
            loop.iter = nodes.Filter(loop.iter, _STEP_FILTER, [], [], None, None, lineno=loop.iter.lineno)
        for parent in [node, *node.find_all(nodes.Node)]:
            for field in parent.fields:
                child = getattr(parent, field, None)
                if isinstance(child, nodes.Concat):
                    setattr(parent, field, _sized(child))
                elif isinstance(child, list):
                    setattr(parent, field, [_sized(c) if isinstance(c, nodes.Concat) else c for c in child])
        super().visit_Template(node, frame)


def _sized(node: nodes.Concat) -> nodes.Filter:
    return nodes.Filter(node, _SIZE_FILTER, [], [], None, None, lineno=node.lineno)
