"""A web worker loads only what serving pages needs: numpy and scipy wait for matching,
Pillow for a share image, alembic for a migration, zxing-cpp for a QR code; a worker on SQLite
never loads PostgreSQL's dialect."""

import json
import subprocess
import sys

from tests.live_server import ROOT, server_env

HEAVY = ("numpy", "scipy", "PIL", "alembic", "zxingcpp")
LOADED = (
    "import json, sys; from surgery import create_app; create_app(); "
    f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r}))))"
)


def test_creating_the_app_loads_none_of_what_only_some_requests_need(tmp_path):
    env = server_env(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    done = subprocess.run(
        [sys.executable, "-c", LOADED], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []


def test_a_worker_on_sqlite_never_loads_postgresql_s_dialect(tmp_path):
    # the day counter's upsert is built for the database in use, when first needed
    code = (
        "import sys; from surgery import create_app; from surgery.day import changes; "
        "create_app(); changes._bump_statement('sqlite'); "
        "print('sqlalchemy.dialects.postgresql' in sys.modules)"
    )
    env = server_env(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "False"
