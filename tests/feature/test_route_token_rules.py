"""Every route of the application that checks a permission says which tokens it accepts.

Keep this test as you add routes: a route with ``require_permission`` but no
``require_scopes``/``require_any_scope``/``FirstPartyUser`` would let any token of a privileged
user (a personal access token made for a script, a third-party client's token) use it.
"""

from __future__ import annotations

from foundry.http.app import create_app
from foundry.http.guards import routes_without_token_rules
from foundry.kernel.application import Application


def test_routes_that_check_permissions_state_their_tokens(application: Application) -> None:
    assert routes_without_token_rules(create_app(application)) == []
