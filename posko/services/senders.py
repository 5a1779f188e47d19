"""The senders behind the outbox: SMTP e-mail, an HTTP gateway for SMS and
WhatsApp, a folder (training), and the Open311 push to the province's CRM.

Which sender serves which channel is configuration (`[notify.email]`,
`[notify.sms]`, `[notify.whatsapp]`, `[crm]` in config.toml; README shows
each). A channel with no table writes to the folder, so nothing leaves the
machine until someone says where it goes. Every message carries its outbox
key (the e-mail's Message-ID, the gateway's `{key}`, the CRM's
Idempotency-Key and update_id), so a receiver can drop a repeat.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlmodel import Session

from posko.config import Settings
from posko.core.clock import to_wib
from posko.core.errors import InvalidInput
from posko.core.lifecycle import CLOSED, LABELS_ID, Status
from posko.core.notify_text import status_message, status_subject
from posko.core.schedule import SchedulePolicy
from posko.core.signing import build_payload
from posko.services import outbox, reference, setup
from posko.services.outbox import Cancel, SendFailed
from posko.store.models import Complaint, OutboxMessage, StatusEvent

TIMEOUT_SECONDS = 20.0
SENDERS = ("smtp", "gateway", "folder")


@dataclass(frozen=True)
class ChannelConfig:
    sender: str = "folder"
    options: Mapping[str, Any] = field(default_factory=dict)


def _table(settings: Settings, *path: str) -> Mapping[str, Any]:
    table: Any = settings.extra
    for key in path:
        table = table.get(key, {}) if isinstance(table, Mapping) else {}
    if not isinstance(table, Mapping):
        raise InvalidInput("setting {name} must be a table", name=".".join(path))
    return table


def channel_config(settings: Settings, channel: str) -> ChannelConfig:
    table = _table(settings, "notify", channel)
    sender = str(table.get("sender", "folder"))
    if sender not in SENDERS:
        raise InvalidInput(
            "setting notify.{channel}.sender must be one of: {known}",
            channel=channel,
            known=", ".join(SENDERS),
        )
    return ChannelConfig(sender, table)


def outbox_folder(settings: Settings) -> Path:
    configured = _table(settings, "notify").get("folder")
    return Path(str(configured)) if configured else settings.slips_dir.parent / "pesan"


# --- the senders ------------------------------------------------------------------


def send_email(options: Mapping[str, Any], *, to: str, subject: str, text: str, key: str) -> None:
    """One e-mail over SMTP; STARTTLS and login when configured."""
    import smtplib
    from email.message import EmailMessage
    from email.utils import make_msgid

    message = EmailMessage()
    message["From"] = str(options.get("from", "Posko Pengaduan <posko@localhost>"))
    message["To"] = to
    message["Subject"] = subject
    # The outbox key in the Message-ID: a repeat after a lost answer is recognisable.
    message["Message-ID"] = make_msgid(idstring=key.replace("/", "."), domain="posko")
    message.set_content(text)
    host = str(options.get("host", "localhost"))
    port = int(options.get("port", 587 if options.get("starttls") else 25))  # checked: an int
    password = os.environ.get("POSKO_SMTP_PASSWORD") or options.get("password")
    try:
        with smtplib.SMTP(host, port, timeout=TIMEOUT_SECONDS) as smtp:
            if options.get("starttls"):
                import ssl

                smtp.starttls(context=ssl.create_default_context())
            if options.get("username"):
                smtp.login(str(options["username"]), str(password or ""))
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        raise SendFailed(f"SMTP {host}:{port}: {error}") from None


def _fill(template: Any, values: Mapping[str, str]) -> Any:
    """The gateway's JSON body or headers with {to}, {text}, {key}, {channel} filled in."""
    if isinstance(template, str):
        # Replace only our names, so braces in the template's own text stay.
        for name, value in values.items():
            template = template.replace("{" + name + "}", value)
        return template
    if isinstance(template, Mapping):
        return {str(k): _fill(v, values) for k, v in template.items()}
    if isinstance(template, list):
        return [_fill(v, values) for v in template]
    return template


def send_gateway(options: Mapping[str, Any], *, values: Mapping[str, str]) -> None:
    """One SMS or WhatsApp message: a JSON POST to the configured gateway."""
    import httpx

    url = options.get("url")
    if not url:
        raise SendFailed("no gateway url configured")
    headers = _fill(dict(options.get("headers", {})), values)
    body = _fill(options.get("body", {"to": "{to}", "text": "{text}"}), values)
    try:
        answer = httpx.post(str(url), json=body, headers=headers, timeout=TIMEOUT_SECONDS)
    except httpx.HTTPError as error:
        raise SendFailed(f"gateway {url}: {error}") from None
    if not answer.is_success:
        raise SendFailed(f"gateway {url}: HTTP {answer.status_code} {answer.text[:200]}")


def write_to_folder(folder: Path, key: str, text: str) -> None:
    from posko.services.slips import save_file

    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as error:
        raise SendFailed(f"folder {folder}: {error.strerror or error}") from None
    try:
        save_file(folder, text.encode("utf-8"), default_name=key.replace("/", "_") + ".txt")
    except InvalidInput as error:
        raise SendFailed(error.message.format(**error.params)) from None


# --- the outbox's deliver function ----------------------------------------------------


def check_config(settings: Settings) -> None:
    """Refuse, with a message naming the setting, a configuration no sender can use."""
    from posko.core.complaint_input import CONTACT_CHANNELS

    for channel in CONTACT_CHANNELS:
        config = channel_config(settings, channel)
        options = config.options
        port = options.get("port", 25)
        if config.sender == "smtp" and (isinstance(port, bool) or not isinstance(port, int)):
            raise InvalidInput(
                "setting notify.{channel}.port must be a whole number", channel=channel
            )
        if config.sender == "gateway":
            if not isinstance(options.get("url"), str) or not options["url"]:
                raise InvalidInput("setting notify.{channel}.url is required", channel=channel)
            _table(settings, "notify", channel, "headers")
    crm_url = _table(settings, "crm").get("url")
    if crm_url is not None and not isinstance(crm_url, str):
        raise InvalidInput("setting crm.url must be the Open311 address, e.g. https://…/open311/v2")


class Delivery:
    """Turns an outbox row into a message and hands it to its channel's sender."""

    def __init__(self, settings: Settings, policy: SchedulePolicy) -> None:
        check_config(settings)
        self.settings = settings
        self.policy = policy
        self.crm = _table(settings, "crm")

    def __call__(self, session: Session, message: OutboxMessage) -> str | None:
        complaint = session.get(Complaint, message.complaint_id)
        event = session.get(StatusEvent, message.event_id) if message.event_id else None
        if complaint is None or event is None:
            raise Cancel("the complaint or its status event is gone")
        if message.destination == outbox.CRM:
            return self._crm(session, message, complaint, event)
        self._citizen(session, message, complaint, event)
        return None

    def _citizen(
        self, session: Session, message: OutboxMessage, complaint: Complaint, event: StatusEvent
    ) -> None:
        if not outbox.wants_messages(complaint) or complaint.contact_channel != message.destination:
            raise Cancel("no consent to messages (withdrawn, or identity erased)")
        email = message.destination == "email"
        to = complaint.reporter_email if email else complaint.reporter_phone
        if not to:
            raise Cancel("no contact for this channel")
        status = Status(message.status)
        office = reference.regions(session).get(event.region_code or complaint.destination_region)
        secret = setup.qr_secret(session)
        # The installation's status page, as on the slip (StatusUrlMissing until it is set).
        template = setup.require_qr_template(session, self.settings.qr_url_template)
        link = build_payload(template, complaint.code, secret)
        text = status_message(
            code=complaint.code,
            status=status,
            office=office.office_name if office else complaint.destination_region,
            link=link,
            sender=self.policy.site_name,
        )
        subject = status_subject(complaint.code, status)
        message.body = text
        config = channel_config(self.settings, message.destination)
        if config.sender == "smtp":
            send_email(config.options, to=to, subject=subject, text=text, key=message.key)
        elif config.sender == "gateway":
            values = {"to": to, "text": text, "key": message.key, "channel": message.destination}
            send_gateway(config.options, values=values)
        else:
            header = f"Kepada: {to}\nKanal: {message.destination}\nPerihal: {subject}\n\n"
            write_to_folder(outbox_folder(self.settings), message.key, header + text + "\n")
        return None

    def _crm(
        self, session: Session, message: OutboxMessage, complaint: Complaint, event: StatusEvent
    ) -> str | None:
        url, key = (
            self.crm.get("url"),
            os.environ.get("POSKO_CRM_API_KEY") or self.crm.get("api_key"),
        )
        if not url or not key:
            raise SendFailed("the CRM push is on but [crm] url and api_key are not configured")
        if message.kind == "create":
            form = create_form(session, self.settings, self.policy, complaint)
            message.body = json.dumps(form, ensure_ascii=False)
            answer = _post(f"{url}/requests.json", {**form, "api_key": str(key)}, message.key)
            first = answer[0] if isinstance(answer, list) and answer else {}
            remote = first.get("service_request_id") if isinstance(first, dict) else None
            token = first.get("token") if isinstance(first, dict) else None
            if not remote and not token:
                raise SendFailed(f"the CRM answered without service_request_id or token: {answer}")
            return str(remote) if remote else f"token:{token}"
        remote = outbox.crm_reference(session, complaint.id or 0)
        if remote is None or remote.startswith("token:"):
            raise SendFailed("the complaint has no service_request_id at the CRM yet")
        status = Status(message.status)
        form = {
            "service_request_id": remote,
            "update_id": message.key,
            "status": "closed" if status in CLOSED else "open",
            "status_notes": f"{status.value}: {LABELS_ID[status]}",
            "description": f"{complaint.code}: {LABELS_ID[status]}",
            "updated_datetime": to_wib(event.at).isoformat(timespec="seconds"),
        }
        message.body = json.dumps(form, ensure_ascii=False)
        _post(f"{url}/servicerequestupdates.json", {**form, "api_key": str(key)}, message.key)
        return remote


def create_form(
    session: Session, settings: Settings, policy: SchedulePolicy, complaint: Complaint
) -> dict[str, str]:
    """A GeoReport v2 `POST requests` form from the one export mapping."""
    from posko.services import open311

    request = open311.request_of(session, settings, policy, complaint)
    form = {
        "service_code": str(request["service_code"]),
        "description": str(request["description"] or open311.WITHHELD),
        "address_string": str(request["address_string"]),
        "address_id": str(request["address_id"]),
        "attribute[posko_code]": complaint.code,
    }
    if "lat" in request:
        form["lat"], form["long"] = str(request["lat"]), str(request["long"])
    return form


def _post(url: str, form: Mapping[str, str], key: str) -> Any:
    import httpx

    try:
        answer = httpx.post(
            url, data=dict(form), headers={"Idempotency-Key": key}, timeout=TIMEOUT_SECONDS
        )
    except httpx.HTTPError as error:
        raise SendFailed(f"CRM {url}: {error}") from None
    if not answer.is_success:
        raise SendFailed(f"CRM {url}: HTTP {answer.status_code} {answer.text[:200]}")
    try:
        return answer.json()
    except ValueError:
        raise SendFailed(f"CRM {url}: the answer is not JSON") from None
