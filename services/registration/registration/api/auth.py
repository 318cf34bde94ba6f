"""Who may use the admin API: a bearer token, compared in constant time."""
import hmac

from flask import abort, current_app, request


def require_admin() -> None:
    expected = current_app.extensions["registration"].runtime.settings.admin_token
    supplied = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(supplied.encode(), expected.encode()):
        abort(401, "Send the admin token as 'Authorization: Bearer <token>'.")
