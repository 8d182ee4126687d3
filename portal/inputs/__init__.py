"""The one input layer: every value taken from a request goes through these converters
and field types, so hostile input is refused with a clear 4xx before it reaches a query.

- ``converters``: URL converters for ids (404 for what the column cannot hold);
- ``numbers``: bounded integers, ASCII digits only, finite Decimals at the currency's scale,
  bounded JSON;
- ``text``: strings without control characters, within their column's length;
- ``files``: uploads checked by content, size and pixel dimensions.
"""
