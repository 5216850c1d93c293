"""The sign-out button: a small form that POSTs to ``/logout``.

Signing out changes state, so it is never a link: a GET could be sent by any other site's page
(an image, a redirect) and sign the officer out. A POST from another site is refused by the
CSRF check in :mod:`dashboard.security`.
"""

from __future__ import annotations

from dash import html

LOGOUT_PATH = "/logout"


def sign_out_button(class_name: str) -> html.Form:
    """A "Sign out" button styled with ``class_name``, inside its own POST form.

    No component id: the shell and the briefing screen may both show one on the same page.
    """
    return html.Form(
        html.Button("Sign out", type="submit", className=class_name),
        action=LOGOUT_PATH,
        method="POST",
        className="sign-out",
    )
