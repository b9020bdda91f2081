"""The deployment template read as data, and its tables created on a test server: kept in benchmarks/tables.py
(the benchmarks need it too, and nothing shipped or benchmarked imports tests/)."""

from benchmarks.tables import INFRASTRUCTURE, load, table_from_template

__all__ = ["INFRASTRUCTURE", "load", "table_from_template"]
