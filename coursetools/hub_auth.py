"""The trial's login: each account's own random password, read from a root-only file.

JupyterHub's ``DummyAuthenticator`` has one password for everybody, so a student could log in as another;
this one checks each name against its own password (``accounts.json``, written by ``make hub``, mode
0600). A real server uses PAM, LDAP or OAuth instead (docs/live-course.md, Deployment).
"""

import hmac
import json
from pathlib import Path

from jupyterhub.auth import Authenticator
from traitlets import Unicode


class TrialAuthenticator(Authenticator):
    """Accepts a trial account's name with its password from ``accounts_file``; nobody else."""

    accounts_file = Unicode(config=True, help="accounts.json of the trial (name and password per account)")

    def _passwords(self) -> dict[str, str]:
        data = json.loads(Path(self.accounts_file).read_text())
        return {a["name"]: a["password"] for a in data["accounts"]}

    async def authenticate(self, handler, data):
        name, password = (data or {}).get("username", ""), (data or {}).get("password", "")
        expected = self._passwords().get(name)
        if expected is not None and hmac.compare_digest(expected.encode(), password.encode()):
            return name
        return None
