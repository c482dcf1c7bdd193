"""The installed plangen's version, in a module of its own so that any part of the
package can name it without importing the package's public names (`plangen`)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("plangen")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
