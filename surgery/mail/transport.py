"""Where messages go: an SMTP server (through Flask-Mail), or .eml files in a folder."""

import contextlib
import os
import smtplib
import tempfile
from pathlib import Path

from flask import current_app
from flask_mail import Connection

from surgery.extensions import mail


class TimedConnection(Connection):
    """Flask-Mail's SMTP connection, with a timeout so a dead server cannot hang a worker.

    smtplib gives the timeout to the socket as it connects, and the socket keeps it (through
    STARTTLS too), so it bounds connecting, waiting for the greeting, and every later read
    and write, each on its own.
    """

    def __init__(self, mail, timeout: float) -> None:
        super().__init__(mail)
        self.timeout = timeout

    def configure_host(self):
        """Connect, start TLS and log in as Flask-Mail does, but with a timeout."""
        cls = smtplib.SMTP_SSL if self.mail.use_ssl else smtplib.SMTP
        host = cls(self.mail.server, self.mail.port, timeout=self.timeout)
        if self.mail.use_tls:
            host.starttls()
        if self.mail.username and self.mail.password:
            host.login(self.mail.username, self.mail.password)
        return host

    def __exit__(self, exc_type, exc_value, tb) -> None:
        """Say goodbye politely; a server that already went away is not an error here."""
        with contextlib.suppress(smtplib.SMTPException, OSError):
            super().__exit__(exc_type, exc_value, tb)

    def send_bytes(self, sender: str, recipient: str, data: bytes, name: str = "") -> None:
        """Send one prepared message over the open connection."""
        self.host.sendmail(sender, [recipient], data)


class EmlFolder:
    """Writes each message as a .eml file, for installs with no mail server."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def __enter__(self):
        self.folder.mkdir(parents=True, exist_ok=True)
        return self

    def __exit__(self, *exc) -> None:
        return None

    def send_bytes(self, sender: str, recipient: str, data: bytes, name: str = "") -> None:
        """Write the message; the rename makes a half-written file impossible."""
        fd, draft = tempfile.mkstemp(dir=self.folder, suffix=".part")
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(draft, self.folder / f"{name or Path(draft).stem}.eml")


def open_transport():
    """SMTP when MAIL_SERVER is set, else the .eml folder under instance/."""
    config = current_app.config
    if config.get("MAIL_SERVER"):
        # Flask-Mail's settings read now, so the server connected to is the one configured now
        settings = mail.init_mail(config, current_app.debug, current_app.testing)
        return TimedConnection(settings, config["MAIL_SEND_TIMEOUT_SECONDS"])
    folder = config.get("MAIL_OUTBOX_FOLDER") or Path(current_app.instance_path) / "outbox"
    return EmlFolder(Path(folder))
