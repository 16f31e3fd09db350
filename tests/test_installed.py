"""The package installed rather than run from its checkout: a result folder cites the
checkout's commit, and no commit at all when the package is installed, even in a virtual
environment inside another git repository (an analyst's project with its .venv)."""

from __future__ import annotations

import subprocess

from conftest import REPO

from wargame.sweep import manifest


def git(*args: str, cwd) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                          text=True).stdout.strip()


def test_a_checkout_cites_its_commit():
    assert manifest.git_commit().removesuffix("+dirty") == git("rev-parse", "HEAD", cwd=REPO)


def test_an_install_inside_another_repository_cites_no_commit(tmp_path, monkeypatch):
    project = tmp_path / "analysis"
    installed = project / ".venv" / "lib" / "python3.12" / "site-packages" / "wargame" / "sweep"
    installed.mkdir(parents=True)
    (installed / "manifest.py").write_text("# an installed copy\n")
    git("init", "-q", cwd=project)
    (project / "notes.md").write_text("an analyst's project\n")
    git("add", "notes.md", cwd=project)
    git("-c", "user.name=a", "-c", "user.email=a@b", "commit", "-qm", "notes", cwd=project)
    monkeypatch.setattr(manifest, "__file__", str(installed / "manifest.py"))
    assert manifest.git_commit() is None  # not the analyst's commit
