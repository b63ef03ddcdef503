"""Dates the way a guest reads them in their language, without depending on the server's locales."""

from __future__ import annotations

from datetime import date


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_DAYS = {
    "en": _words("Monday Tuesday Wednesday Thursday Friday Saturday Sunday"),
    "fr": _words("lundi mardi mercredi jeudi vendredi samedi dimanche"),
    "es": _words("lunes martes miércoles jueves viernes sábado domingo"),
    "de": _words("Montag Dienstag Mittwoch Donnerstag Freitag Samstag Sonntag"),
    "it": _words("lunedì martedì mercoledì giovedì venerdì sabato domenica"),
}
_MONTHS = {
    "en": _words("January February March April May June July August September October November December"),
    "fr": _words("janvier février mars avril mai juin juillet août septembre octobre novembre décembre"),
    "es": _words("enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre"),
    "de": _words("Januar Februar März April Mai Juni Juli August September Oktober November Dezember"),
    "it": _words("gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre"),
}


def format_date(day: date, language: str) -> str:
    """`en` "Monday 14 December 2026", `en_US` "Monday, December 14, 2026", `fr` "lundi 14 décembre 2026"…

    Languages without a table fall back to English, which every template reviewer at Meta accepts.
    """
    base, _, region = language.replace("-", "_").partition("_")
    base = base.lower() if base.lower() in _DAYS else "en"
    weekday, month = _DAYS[base][day.weekday()], _MONTHS[base][day.month - 1]
    if base == "en" and region.upper() == "US":
        return f"{weekday}, {month} {day.day}, {day.year}"
    if base == "fr":
        return f"{weekday} {'1er' if day.day == 1 else day.day} {month} {day.year}"
    if base == "es":
        return f"{weekday}, {day.day} de {month} de {day.year}"
    if base == "de":
        return f"{weekday}, {day.day}. {month} {day.year}"
    return f"{weekday} {day.day} {month} {day.year}"
