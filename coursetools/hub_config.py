"""What the trial hub is made of on disk: a Python every account can run, and the configuration files.

``user_python`` — the course's ``.venv`` links to a base interpreter that other accounts may not be able
to reach (here it lives under ``/root``, mode 0700). The hub's users run a small virtual environment in
``.hub/python`` made from an interpreter they can read (the same ``major.minor``, e.g. Debian's
``/usr/bin/python3.11``) whose only content is a ``.pth`` file adding ``.venv``'s packages and the course.

``write_all`` — under the trial's state folder::

    jupyterhub_config.py   the hub (root only: it names the accounts file)
    etc/student/           JUPYTER_CONFIG_PATH of a student: nbgrader's exchange; Formgrader switched off
    etc/instructor/        JUPYTER_CONFIG_PATH of the instructor: the exchange and the course directory
"""

import ast
import importlib.util
import json
import os
import shutil
import stat
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

from autograder.core.config import THREAD_ENV
from coursetools.hub_exchange import nbgrader_settings

FORMGRADER_EXTENSIONS = ("nbgrader.server_extensions.formgrader", "nbgrader.server_extensions.course_list")
# nbgrader's lab plugins a student has no use for (their pages need the instructor's course directory)
DEADLINES_EXTENSION = "autograder.serve.extension"  # the grading service's deadlines page, when there is one
INSTRUCTOR_PLUGINS = ("@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:course-list",
                      "@jupyter/nbgrader:create-assignment")


class SetupError(RuntimeError):
    """The machine lacks something the hub needs; the message says what to install or change."""


@dataclass(frozen=True)
class HubPaths:
    """Where one trial lives: ``repo`` is the course checkout as the hub's users see it, ``state`` the trial's
    folder, ``origin`` the checkout's own path when the users see it elsewhere (a read-only bind mount,
    ``coursetools.hub_reach``): root writes through ``origin``, every path given to the users names ``repo``."""

    repo: Path
    state: Path
    origin: Path | None = None

    def public(self, path: Path | str) -> Path:
        """``path`` as the users see it (under ``repo`` when it lies in ``origin``)."""
        return _move(Path(path), self.origin, self.repo) if self.origin else Path(path)

    def private(self, path: Path | str) -> Path:
        """``path`` as root writes it (under ``origin`` when it lies in ``repo``)."""
        return _move(Path(path), self.repo, self.origin) if self.origin else Path(path)

    @property
    def exchange(self) -> Path:
        return self.state / "exchange"

    @property
    def homes(self) -> Path:
        return self.state / "home"

    @property
    def accounts(self) -> Path:
        return self.state / "accounts.json"

    @property
    def config(self) -> Path:
        return self.state / "jupyterhub_config.py"

    @property
    def python(self) -> Path:
        return self.repo / ".hub" / "python" / "bin" / "python"

    @property
    def proxy(self) -> Path:
        return self.repo / ".hub" / "node" / "node_modules" / ".bin" / "configurable-http-proxy"

    def etc(self, role: str) -> Path:
        return self.state / "etc" / role


def _move(path: Path, old: Path, new: Path) -> Path:
    try:
        return new / path.relative_to(old)
    except ValueError:
        return path


def readable_by_all(path: Path) -> bool:
    """Every folder on the way to ``path`` can be entered, and ``path`` read, by any account."""
    path = Path(path).resolve()
    for part in [*reversed(path.parents), path]:
        need = stat.S_IXOTH if part.is_dir() else stat.S_IROTH
        if not os.stat(part).st_mode & need:
            return False
    return True


def _base_interpreter() -> Path:
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    candidates = [Path(os.path.realpath(getattr(sys, "_base_executable", sys.executable))),
                  Path("/usr/bin") / version, Path("/usr/local/bin") / version]
    for candidate in candidates:
        if candidate.exists() and readable_by_all(candidate) and readable_by_all(candidate.parent.parent / "lib"):
            return candidate
    raise SetupError(f"no {version} that every account can run was found (this one is {candidates[0]}): "
                     f"install one, e.g. `apt-get install {version}-venv`, or build .venv from a Python "
                     "outside /root")


def user_python(paths: HubPaths) -> Path:
    """Create ``.hub/python`` (once) and return its interpreter; see the module's docstring."""
    site_packages = paths.public(sysconfig.get_paths()["purelib"])
    for needed in (site_packages, paths.repo / "autograder", paths.repo / "release"):
        if not readable_by_all(needed):
            raise SetupError(f"{needed} cannot be read by the students' accounts: move the course to a folder "
                             "every account can enter (not under /root)")
    venv = paths.python.parent.parent
    if not paths.private(paths.python).exists():
        done = subprocess.run([str(_base_interpreter()), "-m", "venv", "--without-pip", str(paths.private(venv))],
                              capture_output=True, text=True)
        if done.returncode != 0:
            raise SetupError(f"could not create {venv} ({done.stderr.strip()}): install the venv module "
                             f"(apt-get install python{sys.version_info.major}.{sys.version_info.minor}-venv)")
    user_site = Path(subprocess.check_output([str(paths.python), "-c", "import sysconfig; "
                                              "print(sysconfig.get_paths()['purelib'])"], text=True).strip())
    # the course's tools (the exchange classes every user's nbgrader loads) by a link in a folder of their
    # own: a .pth line naming the course's root would put source/ (solutions, hidden tests) on the path of
    # every kernel, and into the grading sandbox, which binds the folders .pth files add
    tools = venv / "tools"
    paths.private(tools).mkdir(exist_ok=True)
    links = {"coursetools": paths.repo / "coursetools"}
    if paths.origin is not None:  # .venv's editable install names the checkout's own path, closed to the users
        links.update({name: paths.public(where) for name, where in editable_packages(paths.private(site_packages))
                      .items() if where.is_relative_to(paths.origin)})
    for name, target in links.items():
        link = paths.private(tools / name)
        if link.is_symlink() and Path(os.readlink(link)) != target:  # the checkout was seen elsewhere before
            link.unlink()
        if not link.is_symlink():
            link.symlink_to(target)
    # a plain line (the sandbox binds it) and an import line (runs .venv's own .pth files: editable installs)
    (paths.private(user_site) / "dlcourse_hub.pth").write_text(f"{site_packages}\n{tools}\n"
                                                f"import site; site.addsitedir({str(site_packages)!r})\n")
    _fix_css_selectors(paths.python, paths.private(user_site))
    # nbgrader's gradebook runs `alembic` from PATH
    alembic = paths.private(venv / "bin" / "alembic")
    alembic.write_text(f"#!{paths.python}\nimport sys\nfrom alembic.config import main\nsys.exit(main())\n")
    alembic.chmod(0o755)
    return paths.python


def editable_packages(site_packages: Path) -> dict[str, Path]:
    """The packages an editable install in ``site_packages`` maps to folders (setuptools' finder modules,
    ``__editable___*_finder.py``: their ``MAPPING``), by top-level name."""
    found = {}
    for finder in sorted(site_packages.glob("__editable___*_finder.py")):
        for node in ast.parse(finder.read_text()).body:
            target = node.targets[0] if isinstance(node, ast.Assign) else getattr(node, "target", None)
            if isinstance(target, ast.Name) and target.id == "MAPPING" and node.value is not None:
                found.update({name: Path(where) for name, where in ast.literal_eval(node.value).items()})
    return found


# soupsieve (nbconvert's HTML export: feedback pages) compiles CSS selectors with possessive quantifiers, which
# Debian's Python 3.11.2 mis-parses ("Invalid character 'i' position 0" for img:not([alt])); 2.5 predates them
SOUPSIEVE_FALLBACK = "soupsieve==2.5"


def _fix_css_selectors(python: Path, user_site: Path) -> None:
    """When the users' interpreter cannot compile the selectors nbconvert uses, put a soupsieve it can
    into its own site-packages (ahead of .venv's)."""
    probe = "import soupsieve; soupsieve.compile('img:not([alt])')"
    if subprocess.run([str(python), "-c", probe], capture_output=True).returncode == 0:
        return
    done = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check", "--no-deps",
                           "--upgrade", "--target", str(user_site), SOUPSIEVE_FALLBACK], capture_output=True, text=True)
    if done.returncode != 0 or subprocess.run([str(python), "-c", probe], capture_output=True).returncode != 0:
        raise SetupError(f"{python} cannot compile nbconvert's CSS selectors and installing {SOUPSIEVE_FALLBACK} "
                         f"for it failed ({done.stderr.strip()[-300:]}): build .venv from a Python of 3.11.5 or later")


def _jupyter_dirs(paths: HubPaths) -> tuple[Path, Path]:
    """The course environment's ``share/jupyter`` (lab extensions, kernels) and ``etc/jupyter`` (the
    server extensions it enables), as the users see them."""
    prefix = paths.public(sys.prefix)
    return prefix / "share" / "jupyter", prefix / "etc" / "jupyter"


def user_env(paths: HubPaths) -> dict[str, str]:
    """The environment of every process the hub runs as a person's account (their server, the grading
    service): one thread, the course environment's Jupyter data (lab extensions, nbconvert templates)."""
    share, _ = _jupyter_dirs(paths)
    return {**THREAD_ENV, "PYDEVD_DISABLE_FILE_VALIDATION": "1", "JUPYTER_PLATFORM_DIRS": "1",
            "JUPYTER_PATH": str(share), "PATH": f"{paths.python.parent}:/usr/local/bin:/usr/bin:/bin"}


def write_role_config(paths: HubPaths, role: str, course_dir: Path | None = None) -> None:
    """``etc/<role>/``: nbgrader's exchange settings, and for students Formgrader switched off."""
    etc = paths.etc(role)
    (etc / "labconfig").mkdir(parents=True, exist_ok=True)
    text = f'"""Written by `make hub` for every {role} of the trial."""\nc = get_config()  # noqa: F821\n'
    if course_dir is not None:  # the course's own settings (gradebook, folders) first: the server runs in the home
        text += f"load_subconfig({str(course_dir / 'nbgrader_config.py')!r})  # noqa: F821\n"
        text += f"c.CourseDirectory.root = {str(course_dir)!r}\n"
    text += nbgrader_settings(paths.exchange, instructor=role == "instructor")
    (etc / "nbgrader_config.py").write_text(text)
    student = role == "student"
    server = {"ServerApp": {"jpserver_extensions": {name: not student for name in FORMGRADER_EXTENSIONS}}}
    if _importable(DEADLINES_EXTENSION):  # each student's own deadlines page
        server["ServerApp"]["jpserver_extensions"][DEADLINES_EXTENSION] = True
        settings = course_settings(paths)
        server["AutograderDeadlines"] = {"course_root": str(course_dir or settings)}
    (etc / "jupyter_server_config.json").write_text(json.dumps(server, indent=1))
    page = {"disabledExtensions": {name: True for name in INSTRUCTOR_PLUGINS}} if student else {}
    (etc / "labconfig" / "page_config.json").write_text(json.dumps(page, indent=1))
    for folder, _, files in os.walk(etc):
        os.chmod(folder, 0o755)
        for file in files:
            os.chmod(os.path.join(folder, file), 0o644)


def _importable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:  # its package is missing
        return False


def course_settings(paths: HubPaths) -> Path:
    """A folder every account can read holding only the course's ``nbgrader_config.py`` (due dates,
    extensions, late policy: what the deadlines page reads), never ``source/``."""
    folder = paths.state / "course-settings"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(paths.repo / "nbgrader_config.py", folder / "nbgrader_config.py")
    folder.chmod(0o755)
    (folder / "nbgrader_config.py").chmod(0o644)
    return folder


@dataclass(frozen=True)
class Ports:
    """The public port (people's browsers) and the two internal ones (hub API, proxy API)."""

    public: int
    hub: int
    proxy_api: int


def write_hub_config(paths: HubPaths, ports: Ports, instructor: str, users: list[str]) -> None:
    """``jupyterhub_config.py`` for the trial: 127.0.0.1 only, local processes as each user's account."""
    share, etc = _jupyter_dirs(paths)
    env = user_env(paths)
    lines = [
        '"""Written by `make hub` (coursetools/hub.py): the trial JupyterHub of the course."""',
        "c = get_config()  # noqa: F821",
        "c.JupyterHub.ip = '127.0.0.1'",
        f"c.JupyterHub.port = {ports.public}",
        "c.JupyterHub.hub_ip = '127.0.0.1'",
        f"c.JupyterHub.hub_port = {ports.hub}",
        f"c.ConfigurableHTTPProxy.api_url = 'http://127.0.0.1:{ports.proxy_api}'",
        f"c.ConfigurableHTTPProxy.command = [{str(paths.proxy)!r}]",
        f"c.ConfigurableHTTPProxy.pid_file = {str(paths.state / 'proxy.pid')!r}",
        f"c.JupyterHub.db_url = 'sqlite:///{paths.state / 'jupyterhub.sqlite'}'",
        f"c.JupyterHub.cookie_secret_file = {str(paths.state / 'cookie_secret')!r}",
        f"c.JupyterHub.pid_file = {str(paths.state / 'jupyterhub.pid')!r}",
        "c.JupyterHub.cleanup_servers = True",
        "c.JupyterHub.cleanup_proxy = True",
        "c.JupyterHub.authenticator_class = 'coursetools.hub_auth.TrialAuthenticator'",
        f"c.TrialAuthenticator.accounts_file = {str(paths.accounts)!r}",
        f"c.Authenticator.allowed_users = {set(users)!r}",
        f"c.Authenticator.admin_users = {{{instructor!r}}}",
        "c.JupyterHub.spawner_class = 'localprocess'",
        f"c.Spawner.cmd = [{str(paths.python)!r}, '-m', 'jupyterhub.singleuser']",
        "c.Spawner.default_url = '/lab'",
        "c.Spawner.notebook_dir = '~'",
        "c.Spawner.start_timeout = 180",
        "c.Spawner.http_timeout = 180",
        f"c.Spawner.environment = {env!r}",
        f"ETC = {{'student': {str(paths.etc('student'))!r}, 'instructor': {str(paths.etc('instructor'))!r}}}",
        f"SHARED_ETC = {str(etc)!r}",
        f"INSTRUCTOR = {instructor!r}",
        "c.Spawner.environment['JUPYTER_CONFIG_PATH'] = lambda spawner: ETC["
        "'instructor' if spawner.user.name == INSTRUCTOR else 'student'] + ':' + SHARED_ETC",
    ]
    paths.config.write_text("\n".join(lines) + "\n")
    paths.config.chmod(0o600)


def proxy_missing(paths: HubPaths) -> str | None:
    """None when the proxy is installed, else what to do."""
    if paths.proxy.exists():
        return None
    if shutil.which("npm") is None:
        return ("JupyterHub's proxy needs Node.js and npm: install them (apt-get install nodejs npm), "
                "then run `make setup`")
    return "JupyterHub's proxy is not installed: run `make setup` (it installs configurable-http-proxy into .hub/node)"
