"""The links a queued message carries, as the seeds and addresses they are written from.

A private link is stored as the seed it is rebuilt from with the secret key, never as the
link itself, and written out at PUBLIC_BASE_URL when the email is (surgery.links.written_out).
A check-in address is not private (it only finds the code at the door), so it is stored.
"""

from surgery.links import public_url


def private_link(holder, kind: str = "booking") -> dict:
    """What a person's private link is rebuilt from when their email is written."""
    return {"holder": kind, "seed": holder.token_seed}


def checkin(registration, qr: bool) -> dict:
    """A person's check-in code, its address at PUBLIC_BASE_URL, and whether the email
    shows it as a QR code image (made when the email is written)."""
    url = public_url("checkin.scan", code=registration.checkin_code)
    return {"code": registration.checkin_code, "url": url, "qr": qr}


def feedback_action(registration) -> dict:
    """The button asking a person what they learned, its link rebuilt from their seed."""
    return {
        "text": "Tell us what you learned",
        "endpoint": "day_reports.feedback",
        "seed": registration.token_seed,
    }
