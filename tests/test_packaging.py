"""A non-editable install works: the wheel carries the prompts, found as package resources."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_the_wheel_installs_in_a_fresh_venv_and_renders_a_prompt(tmp_path: Path) -> None:
    # Built from a copy, so setuptools' build/ folder is never left in the working tree.
    project = tmp_path / "project"
    for folder in ("src", "prompts"):
        shutil.copytree(ROOT / folder, project / folder, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, project / name)
    dist = tmp_path / "dist"
    build = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(dist)]
    build.append(str(project))
    subprocess.run(build, check=True, capture_output=True, timeout=300)
    [wheel] = dist.glob("pattern_guide-*.whl")

    target = tmp_path / "venv"
    venv.create(target, with_pip=False)
    python = target / "bin" / "python"
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    # The dependencies come from this environment (no download); the package itself only from the wheel.
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    install = [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)]
    subprocess.run(install, check=True, capture_output=True, timeout=300)

    probe = (
        "import pattern_guide.replies.prompts as p; "
        "print(p.__file__); print(p.PROMPTS_DIR); "
        "r = p.render_prompt('step', draft='Step 1 of 2: Begin', user_text='hi', context='tech', sections=[], "
        "history=[]); print(r.system.splitlines()[0])"
    )
    done = subprocess.run([str(python), "-c", probe], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    module, prompts, first = done.stdout.splitlines()[:3]
    assert module.startswith(str(site)) and prompts.startswith(str(site)), (module, prompts)
    assert not prompts.startswith(str(ROOT))
    assert "Pattern Guide" in first
