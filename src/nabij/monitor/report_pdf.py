"""The PDF report of one snapshot, for the whole municipality or one district (reportlab).

A title page with the protection rules, then per family and per indicator its definition from the
registry and a table of its values: area, target group, breakdown, value, numerator, denominator.
Suppressed values read "<5" (counts) or a dash (anything else), as on the pages. The municipality's
report shows the municipality and its districts; a district's report the district and its
neighbourhoods, so a city's report stays readable (every value is in the CSV).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import reportlab  # type: ignore[import-untyped]
from django.utils import formats, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from reportlab.lib import colors  # type: ignore[import-untyped]
from reportlab.lib.enums import TA_RIGHT  # type: ignore[import-untyped]
from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]
from reportlab.pdfbase.ttfonts import TTFont  # type: ignore[import-untyped]
from reportlab.platypus import (  # type: ignore[import-untyped]
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from nabij.core.models import District, Municipality
from nabij.monitor.indicators.definitions import Indicator, breakdown_of
from nabij.monitor.models import Snapshot, SnapshotValue
from nabij.monitor.models.snapshots import DEFAULT_MIN_BASE
from nabij.monitor.periods import parse_period
from nabij.monitor.selectors import (
    DASH,
    LEVELS,
    Labels,
    Row,
    ValueFilter,
    breakdown_order,
    families_with_indicators,
    labels_for,
    min_count_for,
    rows_for,
    unit_label,
    values_of,
)

PDF_MEDIA_TYPE = "application/pdf"
# Bitstream Vera ships with reportlab and covers more than the PDF core fonts (which lack e.g. the minus sign).
_FONTS = Path(reportlab.__file__).parent / "fonts"
FONT, BOLD = "NabijVera", "NabijVeraBold"


def _register_fonts() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(_FONTS / "Vera.ttf")))
        pdfmetrics.registerFont(TTFont(BOLD, str(_FONTS / "VeraBd.ttf")))
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    body = ParagraphStyle("NabijBody", parent=base["BodyText"], fontName=FONT, fontSize=9.5, leading=13)
    return {
        "title": ParagraphStyle("NabijTitle", parent=base["Title"], fontName=BOLD, fontSize=22, leading=28),
        "h1": ParagraphStyle("NabijH1", parent=base["Heading1"], fontName=BOLD, fontSize=16, leading=20),
        "h2": ParagraphStyle("NabijH2", parent=base["Heading2"], fontName=BOLD, fontSize=12, leading=15),
        "body": body,
        "small": ParagraphStyle("NabijSmall", parent=body, fontSize=8, leading=10),
        "cell": ParagraphStyle("NabijCell", parent=body, fontSize=8, leading=10),
        "head": ParagraphStyle("NabijHead", parent=body, fontName=BOLD, fontSize=8, leading=10),
        "head_number": ParagraphStyle(
            "NabijHeadNumber", parent=body, fontName=BOLD, fontSize=8, leading=10, alignment=TA_RIGHT
        ),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


def report_title(municipality: Municipality, district: District | None) -> str:
    if district is not None:
        return _("Monitor: wijk %(district)s in %(municipality)s") % {
            "district": district.name,
            "municipality": municipality.name,
        }
    return _("Monitor: %(municipality)s") % {"municipality": municipality.name}


def report_filename(municipality: Municipality, snapshot: Snapshot, district: District | None) -> str:
    area = district.code if district is not None else municipality.code
    return f"monitor-{area}-{snapshot.period}.pdf"


def render_report(
    *, municipality: Municipality, snapshot: Snapshot, district: District | None = None, language: str = "nl"
) -> bytes:
    """The report as PDF bytes, in Dutch or (language "en") English. Needs the municipality's scope."""
    _register_fonts()
    with translation.override("en" if language.startswith("en") else "nl"):
        return _render(municipality, snapshot, district, translation.get_language() or "nl")


def _render(municipality: Municipality, snapshot: Snapshot, district: District | None, language: str) -> bytes:
    styles = _styles()
    labels = labels_for(municipality, language)
    min_count = min_count_for(snapshot)
    min_base = int((snapshot.parameters or {}).get("min_base") or DEFAULT_MIN_BASE)
    title = report_title(municipality, district)
    if district is not None:
        values = values_of(snapshot, ValueFilter(district=district.code))
    else:
        values = values_of(snapshot).filter(area_code__regex=r"^(GM|WK)")
    by_code: dict[str, list[SnapshotValue]] = {}
    for value in values:
        by_code.setdefault(value.indicator.split(".", 1)[0], []).append(value)

    story: list[Any] = _title_page(styles, title, municipality, snapshot, district, min_count, min_base)
    for _family, family_name, indicators in families_with_indicators(by_code):
        story.append(_p(family_name, styles["h1"]))
        for indicator in indicators:
            rows = rows_for(by_code[indicator.code], labels, min_count)
            story.extend(_indicator_section(styles, labels, indicator, rows))
    if not by_code:
        story.append(_p(_("Deze momentopname heeft geen cijfers voor dit gebied."), styles["body"]))

    buffer = io.BytesIO()
    footer = f"Nabij {DASH} {title} {DASH} {snapshot.period}"

    def on_page(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.drawString(18 * mm, 10 * mm, footer)
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, _("pagina %(page)s") % {"page": document.page})
        canvas.restoreState()

    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=f"{title} {DASH} {snapshot.period}",
        author="Nabij",
        subject=_("Monitor van meedoen in de buurt"),
        lang=language,
    )
    document.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()


def _title_page(
    styles: dict[str, ParagraphStyle],
    title: str,
    municipality: Municipality,
    snapshot: Snapshot,
    district: District | None,
    min_count: int,
    min_base: int,
) -> list[Any]:
    period = parse_period(snapshot.period)
    span = _("%(start)s tot en met %(end)s") % {
        "start": formats.date_format(period.start, "j F Y"),
        "end": formats.date_format(period.end, "j F Y"),
    }
    scope_text = (
        _("Dit rapport toont de wijk en haar buurten.")
        if district is not None
        else _(
            "Dit rapport toont de gemeente en haar wijken. Cijfers per buurt staan in het rapport van elke wijk "
            "en in het CSV-bestand."
        )
    )
    rules = [
        _("Niemand is in deze cijfers te herkennen. Daarom gelden deze regels:"),
        _("• Een aantal van 1 tot %(count)s tonen we niet. Je ziet dan: %(shown)s.")
        % {"count": min_count, "shown": f"<{min_count}"},
        _("• Een percentage op minder dan %(base)s mensen tonen we niet. Je ziet dan: %(shown)s.")
        % {"base": min_base, "shown": DASH},
        _(
            "• Kan iemand een verborgen cijfer uitrekenen uit een totaal en de andere cijfers? Dan verbergen we "
            "nog een cijfer, zodat dat niet kan."
        ),
        _("• De monitor kent geen namen, alleen sleutels die niet naar een persoon te herleiden zijn."),
    ]
    story: list[Any] = [
        Spacer(1, 40 * mm),
        _p(title, styles["title"]),
        Spacer(1, 6 * mm),
        _p(_("Periode: %(period)s (%(span)s)") % {"period": snapshot.period, "span": span}, styles["body"]),
        _p(
            _("Berekend op: %(when)s") % {"when": formats.date_format(snapshot.computed_at, "j F Y, H:i")},
            styles["body"],
        ),
        _p(_("Gemeente: %(name)s (%(code)s)") % {"name": municipality.name, "code": municipality.code}, styles["body"]),
        Spacer(1, 8 * mm),
        _p(scope_text, styles["body"]),
        Spacer(1, 6 * mm),
        _p(_("Bescherming van kleine aantallen"), styles["h2"]),
        *[_p(line, styles["body"]) for line in rules],
        Spacer(1, 6 * mm),
        _p(
            _(
                "De definities komen uit het register van indicatoren (docs/indicators.md). Teller, noemer en "
                "bronnen staan daar in het Engels."
            ),
            styles["small"],
        ),
        PageBreak(),
    ]
    return story


def _definition(styles: dict[str, ParagraphStyle], indicator: Indicator) -> list[Any]:
    parts = [
        (_("Eenheid"), unit_label(indicator.unit)),
        (_("Teller"), indicator.numerator),
        (_("Noemer"), indicator.denominator),
        (_("Populatie"), indicator.population),
        (_("Uitsplitsing"), indicator.breakdown),
        (_("Bronnen"), ", ".join(indicator.sources)),
        (_("Let op"), indicator.caveats),
    ]
    return [
        Paragraph(f"<b>{escape(label)}:</b> {escape(text)}", styles["small"]) for label, text in parts if text.strip()
    ]


def _sort_key(row: Row) -> tuple[int, str, str, tuple[int, str]]:
    level = LEVELS.index(row.level) if row.level in LEVELS else len(LEVELS)
    return (level, row.area_name, row.value.target_group, breakdown_order(breakdown_of(row.value.indicator)))


def _indicator_section(
    styles: dict[str, ParagraphStyle], labels: Labels, indicator: Indicator, rows: Iterable[Row]
) -> list[Any]:
    ordered = sorted(rows, key=_sort_key)
    with_breakdown = any(row.breakdown for row in ordered)
    texts_header = [_("Gebied"), _("Groep"), *([_("Uitsplitsing")] if with_breakdown else [])]
    numbers_header = [_("Waarde"), _("Teller"), _("Noemer")]
    data: list[list[Any]] = [
        [_p(text, styles["head"]) for text in texts_header]
        + [_p(text, styles["head_number"]) for text in numbers_header]
    ]
    for row in ordered:
        cells = [_p(row.area_name, styles["cell"]), _p(capfirst(row.target_group), styles["cell"])]
        if with_breakdown:
            cells.append(_p(capfirst(row.breakdown), styles["cell"]))
        cells += [row.shown.value, row.shown.numerator or "", row.shown.denominator or ""]
        data.append(cells)
    width = A4[0] - 36 * mm
    numbers = [24 * mm, 20 * mm, 20 * mm]
    text_width = width - sum(numbers)
    shares = (0.3, 0.3, 0.4) if with_breakdown else (0.55, 0.45)
    texts = [text_width * share for share in shares]
    table = Table(data, colWidths=[*texts, *numbers], repeatRows=1)
    first_number = len(texts)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 8),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (first_number, 0), (-1, -1), "RIGHT"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#b0b0b0")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    heading = _p(labels.indicator(indicator), styles["h2"])
    return [KeepTogether([heading, *_definition(styles, indicator), Spacer(1, 2 * mm)]), table, Spacer(1, 5 * mm)]
