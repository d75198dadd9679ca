"""The pack runs on reportlab's C accelerator (rl-accel), a declared dependency, not on its Python fallbacks."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_rl_accel_is_a_dependency() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert any(spec.startswith("rl-accel") for spec in config["project"]["dependencies"])


def test_reportlab_uses_its_c_accelerator() -> None:
    from reportlab.lib import rl_accel

    # Every accelerated function comes from the C extension; none fell back to Python.
    assert rl_accel._py_funcs == {}
    assert rl_accel.fp_str.__module__ == "_rl_accel"
    assert rl_accel.instanceStringWidthTTF.__module__ == "_rl_accel"
