"""Rules about a person's record that hold whatever is stored."""

from __future__ import annotations

# What each best way of contact needs on the record (the field and what it says when blank).
_CONTACT_NEEDS = {
    "email": ("email", "is needed when the best way to contact them is email"),
    "phone": ("phone", "is needed when the best way to contact them is phone"),
    "text": ("phone", "is needed when the best way to contact them is a text message"),
}


def contact_gaps(preferred: str | None, phone: str | None, email: str | None) -> dict[str, str]:
    """Return {field: problem} when the best way to contact someone has nothing to use."""
    need = _CONTACT_NEEDS.get(preferred or "")
    if need is None:
        return {}
    key, problem = need
    value = {"phone": phone, "email": email}[key]
    return {} if (value or "").strip() else {key: problem}
