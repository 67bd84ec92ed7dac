"""Every Python example in docs/python-api.md runs as written, in order, in one namespace."""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil

from conftest import PREDICTIONS, ROOT

DOC = ROOT / "docs" / "python-api.md"


def test_every_example_runs(tmp_path):
    shutil.copy(PREDICTIONS, tmp_path / "predictions.yaml")
    shutil.copytree(ROOT / "docs" / "sources", tmp_path / "docs" / "sources")
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
    assert len(blocks) >= 6
    namespace: dict = {}
    printed = io.StringIO()
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        for number, block in enumerate(blocks, 1):
            with contextlib.redirect_stdout(printed):
                exec(compile(block, f"python-api.md example {number}", "exec"), namespace)
    finally:
        os.chdir(cwd)
    out = printed.getvalue()
    assert "added 2 sources, 8 forecasters, 18 questions, 31 forecasts" in out and "added nothing new" in out
    assert "already resolved" in out
    assert "question congres-opening ['congress-opening'" in out
    assert "['probability']" in out
    assert (tmp_path / "backup.yaml").exists()
