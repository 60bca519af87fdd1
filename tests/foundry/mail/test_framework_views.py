"""The framework's mail templates ship with it; the app's ``resources/views`` overrides them."""

from __future__ import annotations

from pathlib import Path

from foundry.mail.views import MailViews

CONTEXT = {"user_name": "Ada", "url": "https://example.test/reset", "minutes": 60}


def test_the_framework_templates_render_without_any_of_the_apps(tmp_path: Path) -> None:
    views = MailViews(tmp_path, {"app_name": "Shop", "app_url": "https://shop.test"})

    text = views.render("emails/reset_password.txt.j2", CONTEXT)

    assert "https://example.test/reset" in text


def test_a_template_of_the_same_name_in_the_app_replaces_the_frameworks(tmp_path: Path) -> None:
    (tmp_path / "emails").mkdir()
    (tmp_path / "emails" / "reset_password.txt.j2").write_text("Ours: {{ url }}\n")
    views = MailViews(tmp_path, {"app_name": "Shop", "app_url": "https://shop.test"})

    assert (
        views.render("emails/reset_password.txt.j2", CONTEXT)
        == "Ours: https://example.test/reset\n"
    )
