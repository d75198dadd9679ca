"""A plan on the council's PostgreSQL server, as the window shows and asks for it.

- names: 'improvement_plan on dbserver' for title bars and menus, the URL without any
  password for tooltips and the recent-plans list (a password typed or pasted is used
  for this session only: never shown, never saved);
- File → Open shared plan…: `SharedPlanDialog` asks for the server, port, database
  and user, or takes a pasted postgresql:// URL. It has no password field: the password
  comes from PGPASSWORD, .pgpass or a service file, and only when the server asks and
  none was supplied does the window ask for it (plan_files.py).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import URL

from egov_planner.model.store import PlanFileError, PlanStore
from egov_planner.model.store.opening import PlanLocation
from egov_planner.model.store.server import ServerPlan, ServerStore, looks_like_server_url

DEFAULT_PORT = 5432


# --- names ---------------------------------------------------------------------------------------------------


def bare_url(plan: ServerPlan) -> str:
    """The plan's URL as it may be kept or shown: no password at all (not even ***), in the officer's scheme."""
    given = plan.url
    # Made afresh: URL.set(password=None) would keep the password ("None" means "unchanged" there).
    url = URL.create("postgresql", given.username, None, given.host, given.port, given.database, given.query)
    if "password" in url.query:  # libpq also takes ?password=...: never kept either
        url = url.difference_update_query(["password"])
    return url.render_as_string(hide_password=False)


def server_of(plan: ServerPlan) -> str:
    """Where the database is, in words: its host, its service, or this computer."""
    service = plan.url.query.get("service")
    if plan.url.host:
        return plan.url.host
    if service:
        return f"service {service}"
    return "this computer"


def location_name(where: PlanLocation) -> str:
    """Short, for title bars and menus: 'plan.egov', or 'improvement_plan on dbserver' (never a password)."""
    if isinstance(where, ServerPlan):
        return f"{where.name} on {server_of(where)}"
    return where.name


def location_text(where: PlanLocation) -> str:
    """In full, for tooltips, the status bar and About: a file's path, a server plan's URL without its password."""
    return bare_url(where) if isinstance(where, ServerPlan) else str(where)


def where_of(store: PlanStore | ServerStore) -> PlanLocation:
    return store.plan if isinstance(store, ServerStore) else store.path


def plan_name(store: PlanStore | ServerStore) -> str:
    return location_name(where_of(store))


def plan_place(store: PlanStore | ServerStore) -> str:
    return location_text(where_of(store))


def plan_stem(store: PlanStore | ServerStore) -> str:
    """What suggested file names start with: the file's stem, or the database's name."""
    return store.plan.name if isinstance(store, ServerStore) else store.path.stem


def without_password(plan: ServerPlan) -> ServerPlan:
    return ServerPlan.parse(bare_url(plan))


def with_password(plan: ServerPlan, password: str) -> ServerPlan:
    """The plan with a password for this session's connections (it lives in memory only)."""
    return ServerPlan(plan.url.set(password=password))


def default_folder(last: Path | None) -> Path:
    """Where a server plan's exports and copies are suggested: the last folder used, else Documents, else home."""
    if last is not None and last.is_dir():
        return last
    documents = Path.home() / "Documents"
    return documents if documents.is_dir() else Path.home()


# --- the dialog ----------------------------------------------------------------------------------------------


class SharedPlanDialog(QDialog):
    """File → Open shared plan…: the server, port, database and user, or a pasted URL; never a password field."""

    def __init__(self, start: ServerPlan | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Open a shared plan")
        self.setMinimumWidth(560)
        self._pasted_password: str | None = None  # from a pasted URL: used to connect, never shown or kept
        intro = QLabel(
            "A plan kept on your council's PostgreSQL server, which several officers edit at once. "
            "Your IT department gives you these details.\n\n"
            "No password is asked for here: it comes from PGPASSWORD, your .pgpass file or a service "
            "file. If the server needs one and none is set up, you are asked for it once, for this "
            "session only; it is never saved."
        )
        intro.setWordWrap(True)
        self.address = QLineEdit()
        self.address.setPlaceholderText("paste postgresql://user@server:5432/database, or fill in below")
        self.address.setAccessibleName("Address")
        self.host = QLineEdit()
        self.host.setPlaceholderText("e.g. dbserver.council.local (empty: this computer)")
        self.host.setAccessibleName("Server")
        self.port = QLineEdit()
        self.port.setValidator(QIntValidator(1, 65535, self.port))
        self.port.setPlaceholderText(str(DEFAULT_PORT))
        self.port.setAccessibleName("Port")
        self.database = QLineEdit()
        self.database.setPlaceholderText("e.g. improvement_plan")
        self.database.setAccessibleName("Database")
        self.user = QLineEdit()
        self.user.setPlaceholderText("your database user name (empty: your login name)")
        self.user.setAccessibleName("User")
        self.service = QLineEdit()
        self.service.setPlaceholderText("optional: a name in pg_service.conf")
        self.service.setAccessibleName("Service")
        form = QFormLayout()
        for text, field in (
            ("&Address:", self.address),
            ("&Host (server):", self.host),
            ("&Port:", self.port),
            ("&Database:", self.database),
            ("&User:", self.user),
            ("Ser&vice:", self.service),
        ):
            label = QLabel(text)
            label.setBuddy(field)
            form.addRow(label, field)
        self.error = QLabel("")
        self.error.setObjectName("fieldError")
        self.error.setAccessibleName("Problem")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #C0392B")
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.open_button = self.buttons.addButton("&Open", QDialogButtonBox.ButtonRole.AcceptRole)
        self.open_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.address.editingFinished.connect(self.take_address)
        self.address.textChanged.connect(lambda _text: self.error.hide())
        if start is not None:
            self._fill(start)
        (self.database if start is not None else self.address).setFocus()

    def take_address(self) -> bool:
        """A pasted URL fills the fields below and is shown without its password; False (said) when not a URL."""
        text = self.address.text().strip()
        if not text:
            return True
        if not looks_like_server_url(text):
            self._say("The address must begin postgresql:// (for example postgresql://jsmith@dbserver/plan)")
            return False
        try:
            plan = ServerPlan.parse(text)
        except PlanFileError as error:
            self._say(str(error))
            return False
        self._pasted_password = plan.url.password if isinstance(plan.url.password, str) else None
        self._fill(plan)
        return True

    def _fill(self, plan: ServerPlan) -> None:
        url = plan.url
        self.address.setText(bare_url(plan))
        self.host.setText(url.host or "")
        self.port.setText(str(url.port) if url.port else "")
        self.database.setText(url.database or "")
        self.user.setText(url.username or "")
        service = url.query.get("service")
        self.service.setText(service if isinstance(service, str) else "")

    def _say(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def plan(self) -> ServerPlan | None:
        """The plan the fields name (with a pasted password, for connecting only), or None, saying why."""
        database = self.database.text().strip()
        if not database:
            self._say("Give the database that holds the plan (your IT department knows its name)")
            self.database.setFocus()
            return None
        query: dict[str, str] = {}
        if self.service.text().strip():
            query["service"] = self.service.text().strip()
        port = int(self.port.text()) if self.port.text().strip() else None
        url = URL.create(
            "postgresql+psycopg",
            username=self.user.text().strip() or None,
            password=self._pasted_password,
            host=self.host.text().strip() or None,
            port=port,
            database=database,
            query=query,
        )
        return ServerPlan(url)

    def accept(self) -> None:
        if self.address.hasFocus() and not self.take_address():
            return
        if self.plan() is not None:
            super().accept()
