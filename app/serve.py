"""Browse a SQLite store in Datasette, in process, with ``schemas/datasette.json`` as metadata.

The metadata gives the title, column descriptions and canned queries; the database page also
lists every indicator with its label, unit and definition, the ids the queries take. Charts
are drawn in the page by the datasette-vega plugin (installed with scrutiny): a canned query
with a ``chart`` in the metadata links to an example drawn that way, and the chart stays as
the query's parameters change.
"""
from __future__ import annotations

import html
import json
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import Engine

from .schemas.vocabulary import load_vocabulary


def database_file(engine: Engine) -> Path:
    """The SQLite file behind ``engine``; ValueError for other databases, which Datasette cannot open."""
    path = engine.url.database
    if engine.dialect.name != "sqlite" or not path or path == ":memory:":
        raise ValueError(f"Datasette serves SQLite files only, not {engine.url.render_as_string()}")
    return Path(path)


def indicator_list() -> str:
    """The vocabulary as an HTML list folded under a summary."""
    items = "".join(f"<dt><code>{html.escape(i.id)}</code>: {html.escape(i.label)} ({html.escape(i.unit)})</dt>"
                    f"<dd>{html.escape(i.definition)}</dd>" for i in load_vocabulary().values())
    return f"<details><summary>Indicators: ids, labels, units and definitions</summary><dl>{items}</dl></details>"


def chart_url(database: str, query: str, chart: dict[str, Any]) -> str:
    """The canned query's page with its example parameters and the chart datasette-vega draws (in the fragment)."""
    options = {f"g.{key}": value for key, value in chart.items() if key != "example"}
    return f"/{database}/{query}?{urlencode(chart['example'])}#{urlencode(options)}"


def charted(database: str, name: str, query: dict[str, Any]) -> dict[str, Any]:
    """A canned query whose ``chart`` becomes a link, under its description, to the example drawn."""
    query = dict(query)
    chart = query.pop("chart", None)
    if chart:
        link = html.escape(chart_url(database, name, chart))
        query["description_html"] = (f"<p>{html.escape(query.pop('description'))}</p><p><a href=\"{link}\">"
                                     "Draw an example as a chart</a>; the chart stays as you "
                                     "change the parameters (or choose one under Charting options).</p>")
    return query


def metadata(name: str) -> dict[str, Any]:
    """Datasette metadata for the database called ``name`` (its file's stem), whose page has the site's title."""
    data = json.loads(resources.files("scrutiny.schemas").joinpath("datasette.json").read_text(encoding="utf-8"))
    database = data.pop("database")
    database["description_html"] = f"<p>{html.escape(database.pop('description'))}</p>{indicator_list()}"
    database["queries"] = {query: charted(name, query, spec) for query, spec in database["queries"].items()}
    return {**data, "databases": {name: {"title": data["title"], **database}}}


def serve(path: Path, host: str, port: int) -> None:
    """Run Datasette on the SQLite file ``path`` (immutable: it is only read) at ``host``:``port`` until interrupted."""
    import uvicorn
    from datasette.app import Datasette

    # immutable: opened read-only with no locking, so a read-only file or mount serves too
    app = Datasette(immutables=[str(path)], metadata=metadata(path.stem)).app()
    uvicorn.run(app, host=host, port=port, log_level="warning")
