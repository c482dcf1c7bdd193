"""The local web page of `plangen serve`: make a plan, start a workbook, and a dashboard
of a folder of workbooks. Plain HTML forms (no JavaScript needed); every plan is made by
the library, never here."""

from plangen.web.app import ServeConfig, create_app

__all__ = ["ServeConfig", "create_app"]
