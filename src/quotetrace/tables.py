"""Records as tables: what ``quotetrace.extract`` and the store's queries hand a notebook.

A ``RecordList`` is a plain ``list`` of records (so every existing caller keeps working) that
can also become a table: ``to_dicts()`` always, ``to_pandas()`` with the ``pandas`` extra,
``to_polars()`` with polars installed. Columns come from each record's ``to_row()`` (or
``to_json()``), the same names the JSON API uses, so a DataFrame, the API and the CLI's JSON
agree::

    found = store.statements(speaker="Ali Khamenei", since="2023-11")
    found[0].content_text            # a list of StoredStatement, as before
    found.to_pandas()                # one row per statement: speaker, outlet, published, ...
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from .errors import ConfigError

if TYPE_CHECKING:
    import pandas
    import polars

__all__ = ["RecordList", "TableRecord"]


class TableRecord(Protocol):
    def to_json(self) -> dict[str, Any]: ...


R = TypeVar("R", bound=TableRecord)


def _row(record: TableRecord) -> dict[str, Any]:
    to_row = getattr(record, "to_row", None)
    return dict(to_row() if callable(to_row) else record.to_json())


class RecordList(list[R]):
    """A list of records that also turns into a DataFrame."""

    def __init__(self, records: Iterable[R] = (), columns: tuple[str, ...] = ()) -> None:
        super().__init__(records)
        # The columns of an empty table: a DataFrame of no rows still has them.
        self.columns = columns

    def to_dicts(self) -> list[dict[str, Any]]:
        """One plain dict per record (JSON values: dates as ISO strings, spans as lists)."""
        return [_row(r) for r in self]

    def to_pandas(self) -> pandas.DataFrame:
        """A pandas DataFrame, one row per record (``pip install 'quotetrace[pandas]'``)."""
        try:
            import pandas as pd
        except ImportError:
            raise ConfigError(
                "to_pandas() needs pandas, which is not installed",
                "pip install 'quotetrace[pandas]'",
            ) from None
        rows = self.to_dicts()
        frame = pd.DataFrame.from_records(rows, columns=list(rows[0]) if rows else self.columns)
        if "published" in frame.columns:
            frame["published"] = pd.to_datetime(frame["published"], errors="coerce")
        return frame

    def to_polars(self) -> polars.DataFrame:
        """A polars DataFrame, one row per record (``pip install polars``)."""
        try:
            import polars as pl
        except ImportError:
            raise ConfigError(
                "to_polars() needs polars, which is not installed", "pip install polars"
            ) from None
        rows = self.to_dicts()
        if not rows:
            return pl.DataFrame({name: [] for name in self.columns})
        frame = pl.DataFrame(rows, infer_schema_length=None)
        if "published" in frame.columns:
            frame = frame.with_columns(pl.col("published").str.to_date(strict=False))
        return frame
