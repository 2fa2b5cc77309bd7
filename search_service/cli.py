"""``python -m search_service``: serve an index with gunicorn (the production server)."""

from __future__ import annotations

import os

import click
from gunicorn.app.base import BaseApplication

from indexer.generations import IndexNotFound, live_generation
from indexer.integrity import IndexDamaged, check_generation


class _Server(BaseApplication):
    def __init__(self, index: str, options: dict):
        self.index, self.options = index, options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from indexer.segment import segment
        from search_service import create_app

        segment("Khởi động")  # load pyvi's model once, before the workers fork
        app = create_app({"INDEX": self.index})
        app.extensions["tracuu.vocabulary"].warm()  # did-you-mean's words, read once too
        return app


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--index", "index_dir", envvar="TRACUU_INDEX", default="var/index",
              show_default=True, help="Index directory (TRACUU_INDEX).")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=min(4, (os.cpu_count() or 1)), show_default=True,
              type=click.IntRange(1, 64), help="gunicorn worker processes.")
@click.option("--timeout", default=30, show_default=True, type=click.IntRange(1, 3600),
              help="Seconds before a stuck worker is restarted.")
def main(index_dir: str, host: str, port: int, workers: int, timeout: int) -> None:
    """Serve the Tra cứu search API on HOST:PORT."""
    try:
        gen = live_generation(index_dir)
    except IndexNotFound as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        check_generation(gen)  # every file against its manifest, before serving anything
    except IndexDamaged as exc:
        raise click.ClickException(
            f"{exc}; not serving it. Roll back with `python -m indexer rollback --index "
            f"{index_dir}` or rebuild") from exc
    click.echo(f"Tra cứu: serving {gen} on http://{host}:{port} with {workers} workers", err=True)
    _Server(os.path.abspath(index_dir), {
        "bind": f"{host}:{port}",
        "workers": workers,
        "timeout": timeout,
        "preload_app": True,
        "accesslog": "-",
    }).run()
