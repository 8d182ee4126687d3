"""Where a PDF page puts ink: the bounding box of every rectangle, path and text run.

Walks the page's content stream with pypdf, keeping the graphics state (``q``/``Q``/``cm``)
and the text state (``Tf``, ``Tm``, ``Td``, ``TL``, ``T*``, ``Tc``, ``Tw``), so a test can
check that nothing is drawn where the layout promises blank paper (a barcode's quiet zone)
and that nothing runs off the page. Text boxes are measured with the standard font metrics: the
labels use the built-in Helvetica faces only.
"""

from __future__ import annotations

from dataclasses import dataclass

import pypdf
from pypdf.generic import ContentStream
from reportlab.pdfbase.pdfmetrics import stringWidth

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1, 0, 0, 1, 0, 0)


@dataclass(frozen=True)
class Mark:
    kind: str  # "rect", "path" or "text"
    x0: float
    y0: float
    x1: float
    y1: float
    text: str = ""

    def overlaps(self, x: float, y: float, width: float, height: float, slack=0.01) -> bool:
        """True when the mark's box and the rectangle share an area (touching edges don't)."""
        return (
            self.x0 < x + width - slack
            and self.x1 > x + slack
            and self.y0 < y + height - slack
            and self.y1 > y + slack
        )


def _multiply(m: Matrix, n: Matrix) -> Matrix:
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


def _box(kind: str, m: Matrix, points: list[tuple[float, float]], text: str = "") -> Mark:
    moved = [_apply(m, x, y) for x, y in points]
    xs, ys = [p[0] for p in moved], [p[1] for p in moved]
    return Mark(kind, min(xs), min(ys), max(xs), max(ys), text)


def _decoded(string: str | bytes) -> str:
    return string.decode("cp1252", "replace") if isinstance(string, bytes) else str(string)


def page_marks(page: pypdf.PageObject) -> list[Mark]:
    fonts = {
        name: str(font.get_object()["/BaseFont"]).lstrip("/")
        for name, font in page["/Resources"].get("/Font", {}).items()
    }
    content = ContentStream(page.get_contents(), page.pdf)
    marks: list[Mark] = []
    ctm, stack = IDENTITY, []
    path: list[tuple[float, float]] = []
    font, size, leading, char_space, word_space = "Helvetica", 12.0, 0.0, 0.0, 0.0
    tm = line = IDENTITY
    for operands, operator in content.operations:
        op = operator.decode("latin-1")
        values = [float(v) for v in operands if isinstance(v, int | float)]
        if op == "q":
            stack.append(ctm)
        elif op == "Q":
            ctm = stack.pop()
        elif op == "cm":
            ctm = _multiply(tuple(values), ctm)
        elif op == "re":
            x, y, w, h = values
            marks.append(_box("rect", ctm, [(x, y), (x + w, y + h)]))
        elif op in ("m", "l"):
            path.append((values[0], values[1]))
        elif op == "c":
            path.extend([(values[0], values[1]), (values[2], values[3]), (values[4], values[5])])
        elif op in ("S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "n"):
            if path and op != "n":
                marks.append(_box("path", ctm, path))
            path = []
        elif op == "BT":
            tm = line = IDENTITY
        elif op == "Tf":
            font, size = fonts[str(operands[0])], float(operands[1])
        elif op == "TL":
            leading = values[0]
        elif op == "Tc":
            char_space = values[0]
        elif op == "Tw":
            word_space = values[0]
        elif op == "Tm":
            tm = line = tuple(values)
        elif op in ("Td", "TD"):
            if op == "TD":
                leading = -values[1]
            tm = line = _multiply((1, 0, 0, 1, values[0], values[1]), line)
        elif op == "T*":
            tm = line = _multiply((1, 0, 0, 1, 0, -leading), line)
        elif op in ("Tj", "'", '"', "TJ"):
            if op in ("'", '"'):
                tm = line = _multiply((1, 0, 0, 1, 0, -leading), line)
            strings = operands[-1] if op == "TJ" else [operands[-1]]
            text = "".join(_decoded(s) for s in strings if isinstance(s, str | bytes))
            width = stringWidth(text, font, size)
            width += char_space * len(text) + word_space * text.count(" ")
            at = _multiply(tm, ctm)
            marks.append(_box("text", at, [(0, -0.25 * size), (width, size)], text))
            tm = _multiply((1, 0, 0, 1, width, 0), tm)
        elif op == "Do":
            raise AssertionError("the labels draw no images or forms; extend page_marks first")
    return marks
