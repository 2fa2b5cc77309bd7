"""README.md stays true to the code: commands, options, settings, routes."""

from __future__ import annotations

import re

import click
import pytest

from indexer.cli import cli
from search_service import create_app
from search_service.cli import main as serve
from search_service.settings import SETTINGS
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_commands():
    block = re.search(r"```sh\n(.*?)```", README, re.S).group(1)
    assert [line.split("#")[0].strip() for line in block.strip().splitlines()] == [
        "make run", "make test"]


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_indexer_command_and_option_is_documented(name):
    command = cli.commands[name]
    assert f"`{name} " in README
    for param in command.params:
        if isinstance(param, click.Option):
            assert any(f"`{opt}" in README or f" {opt}" in README for opt in param.opts), \
                (name, param.opts)


def test_every_server_option_is_documented():
    for param in serve.params:
        assert any(opt in README for opt in param.opts), param.opts


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.env)
def test_every_setting_is_documented_with_its_default(setting):
    row = re.search(rf"^\| `{setting.env}` \| `([^`]*)` \| (.*) \|$", README, re.M)
    assert row, setting.env
    assert row.group(1) == str(setting.default)
    assert row.group(2) == setting.help


def test_every_api_route_is_documented():
    app = create_app({"INDEX": str(ROOT / "no-index"), "TESTING": True})
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            documented = rule.rule.replace("<path:doc_id>", "<id>")
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                assert f"`{method} {documented}" in README, (method, rule.rule)


def test_every_page_route_is_documented():
    app = create_app({"INDEX": str(ROOT / "no-index"), "TESTING": True})
    pages = [r.rule for r in app.url_map.iter_rules()
             if not r.rule.startswith(("/api/", "/static/"))]
    assert "/tim-kiem" in pages
    for rule in pages:
        assert f"`GET {rule.replace('<path:doc_id>', '<id>')}" in README, rule


def test_the_widget_options_in_the_readme_are_the_widgets():
    script = (ROOT / "search_service" / "static" / "tracuu-widget.js").read_text(encoding="utf-8")
    options = set(re.findall(r"`(data-tracuu[a-z-]*)", README))
    assert {"data-tracuu", "data-tracuu-per-page", "data-tracuu-css"} <= options
    for option in options:
        assert f'"{option}"' in script, option
    for css_class in re.findall(r"`(tracuu-[a-z]+)`", README):
        assert re.search(rf"[.\"' ]{css_class}\b", script), css_class
