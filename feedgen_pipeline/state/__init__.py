"""What a run keeps between runs (in the state folder) and how it writes files.

``files``: atomic, only-if-changed writes. ``store``: the SQLite database of file records,
enriched articles, dates and output stats. ``lock``: one run at a time. ``fingerprint``: what an
article depends on besides its bytes. ``codec``: dataclasses ↔ JSON.
"""

from __future__ import annotations
