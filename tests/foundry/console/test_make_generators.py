"""``make:*``: the files each generator writes, overwrite refusal, names, and ``--all``."""

from __future__ import annotations

from pathlib import Path

import pytest

from foundry.console.generators.names import Name
from foundry.console.manifest import BUILTIN_COMMANDS, discover_commands
from foundry.console.registry import CommandRegistry
from tests.foundry.console.helpers import artisan


def make(base: Path, *args: str) -> tuple[int, str, str]:
    result = artisan(*args, "--path", str(base))
    return result.exit_code, result.stdout, result.stderr


def test_make_model_writes_a_model_and_re_exports_it(tmp_path: Path) -> None:
    code, out, err = make(tmp_path, "make:model", "BlogPost")

    assert code == 0, err
    assert "File [app/models/blog_post.py] created successfully." in out
    model = (tmp_path / "app/models/blog_post.py").read_text()
    assert "class BlogPost(TimestampsMixin, Model):" in model
    assert '__tablename__ = "blog_posts"' in model
    assert "id: Mapped[int] = mapped_column(primary_key=True)" in model
    assert "fillable = frozenset[str]()" in model and "hidden = frozenset[str]()" in model
    init = (tmp_path / "app/models/__init__.py").read_text()
    assert "from app.models.blog_post import BlogPost as BlogPost" in init


def test_second_model_is_re_exported_in_sorted_order(tmp_path: Path) -> None:
    assert make(tmp_path, "make:model", "Post")[0] == 0
    assert make(tmp_path, "make:model", "comment")[0] == 0

    lines = (tmp_path / "app/models/__init__.py").read_text().splitlines()
    imports = [line for line in lines if line.startswith("from app.models.")]
    assert imports == [
        "from app.models.comment import Comment as Comment",
        "from app.models.post import Post as Post",
    ]


def test_existing_file_is_refused_without_force_and_replaced_with_it(tmp_path: Path) -> None:
    assert make(tmp_path, "make:service", "Billing")[0] == 0
    target = tmp_path / "app/services/billing.py"
    target.write_text("# mine\n")

    code, _, err = make(tmp_path, "make:service", "Billing")
    assert code == 1
    assert "File [app/services/billing.py] already exists. Use --force" in err
    assert target.read_text() == "# mine\n"

    code, out, _ = make(tmp_path, "make:service", "Billing", "--force")
    assert code == 0
    assert "class Billing:" in target.read_text()
    assert "def __init__(self, session: AsyncSession) -> None:" in target.read_text()


def test_make_model_all_writes_nothing_when_one_file_is_in_the_way(tmp_path: Path) -> None:
    policy = tmp_path / "app/policies/post_policy.py"
    policy.parent.mkdir(parents=True)
    policy.write_text("# mine\n")

    code, _, err = make(tmp_path, "make:model", "Post", "--all")

    assert code == 1
    assert "app/policies/post_policy.py" in err
    assert not (tmp_path / "app/models").exists()


@pytest.mark.parametrize("bad", ["class", "None", "9lives", "blog-post", "my__post", "Post!"])
def test_invalid_names_are_refused_on_one_line(tmp_path: Path, bad: str) -> None:
    code, _, err = make(tmp_path, "make:model", bad)

    assert code == 1
    assert f'Invalid model name "{bad}"' in err
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "app").exists()


@pytest.mark.parametrize(
    ("raw", "studly", "snake", "table"),
    [
        ("Post", "Post", "post", "posts"),
        ("post", "Post", "post", "posts"),
        ("BlogPost", "BlogPost", "blog_post", "blog_posts"),
        ("blog_post", "BlogPost", "blog_post", "blog_posts"),
        ("Category", "Category", "category", "categories"),
        ("HTTPClient", "HTTPClient", "http_client", "http_clients"),
        ("Box", "Box", "box", "boxes"),
    ],
)
def test_names_in_every_spelling(raw: str, studly: str, snake: str, table: str) -> None:
    name = Name.parse(raw)
    assert (name.studly, name.snake, name.table) == (studly, snake, table)


def test_make_model_all_writes_every_companion(tmp_path: Path) -> None:
    result = artisan("make:model", "Post", "--all", "--path", str(tmp_path))

    assert result.exit_code == 0, result.stderr
    for relative in [
        "app/models/post.py",
        "database/factories/post_factory.py",
        "database/seeders/post_seeder.py",
        "app/http/controllers/post_controller.py",
        "app/services/post_service.py",
        "app/http/requests/store_post_request.py",
        "app/http/requests/update_post_request.py",
        "app/http/resources/post_resource.py",
        "app/policies/post_policy.py",
    ]:
        assert (tmp_path / relative).is_file(), relative
        assert f"File [{relative}] created successfully." in result.stdout
    migrations = list((tmp_path / "database/migrations/versions").glob("*_create_posts_table.py"))
    assert len(migrations) == 1
    seeder = (tmp_path / "database/seeders/post_seeder.py").read_text()
    assert "await PostFactory.new().count(10).create_many(self.session)" in seeder
    controller = (tmp_path / "app/http/controllers/post_controller.py").read_text()
    for endpoint in ("index", "store", "show", "update", "destroy"):
        assert f"async def {endpoint}(" in controller
    assert 'prefix="/posts"' in controller and "Validated[StorePostRequest]" in controller


def test_resource_controller_needs_its_model(tmp_path: Path) -> None:
    code, _, err = make(tmp_path, "make:controller", "PostController", "--resource")

    assert code == 1
    assert "Model [app/models/post.py] does not exist" in err
    assert "make:model Post" in err


def test_each_kind_lands_in_its_folder(tmp_path: Path) -> None:
    assert make(tmp_path, "make:model", "Post")[0] == 0
    cases = [
        (("make:controller", "Pages"), "app/http/controllers/pages.py", "router = APIRouter("),
        (("make:request", "Login"), "app/http/requests/login.py", "class Login(FormRequest):"),
        (
            ("make:resource", "PostResource", "--model", "Post"),
            "app/http/resources/post_resource.py",
            "class PostResource(JsonResource[Post]):",
        ),
        (
            ("make:resource", "Posts", "--collection"),
            "app/http/resources/posts.py",
            "class Posts(ResourceCollection[Any]):",
        ),
        (
            ("make:policy", "PostPolicy", "--model", "Post"),
            "app/policies/post_policy.py",
            "def force_delete(self, user: object, post: Post) -> bool:",
        ),
        (
            ("make:observer", "PostObserver", "--model", "Post"),
            "app/observers/post_observer.py",
            "def created(self, post: Post) -> None:",
        ),
        (
            ("make:factory", "Post"),
            "database/factories/post_factory.py",
            "class PostFactory(Factory[Post]):",
        ),
        (
            ("make:seeder", "UserSeeder"),
            "database/seeders/user_seeder.py",
            "class UserSeeder(Seeder):",
        ),
        (
            ("make:middleware", "Timing"),
            "app/http/middleware/timing.py",
            "async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:",
        ),
        (("make:job", "PublishPost"), "app/jobs/publish_post.py", "class PublishPost(Job):"),
        (
            ("make:provider", "BillingServiceProvider"),
            "app/providers/billing_service_provider.py",
            "class BillingServiceProvider(ServiceProvider):",
        ),
    ]
    for args, relative, essential in cases:
        code, out, err = make(tmp_path, *args)
        assert code == 0, (args, err)
        assert f"File [{relative}] created successfully." in out
        assert essential in (tmp_path / relative).read_text(), relative


def test_observer_says_how_to_register_it(tmp_path: Path) -> None:
    make(tmp_path, "make:model", "Post")
    _, out, _ = make(tmp_path, "make:observer", "PostObserver", "--model", "Post")
    assert "app/observers/provider.py: observers = {Post: [PostObserver]}" in out


def test_make_command_is_listed_without_being_imported(tmp_path: Path) -> None:
    code, out, _ = make(
        tmp_path, "make:command", "SendEmails", "--description", "Send the queued emails"
    )
    assert code == 0
    assert "Run it with: artisan app:send-emails" in out

    folder = tmp_path / "app/console/commands"
    specs = discover_commands(folder, "app.console.commands")
    assert [(s.name, s.help, s.target) for s in specs] == [
        (
            "app:send-emails",
            "Send the queued emails",
            "app.console.commands.send_emails:handle",
        )
    ]
    listing = artisan("list", registry=CommandRegistry((*BUILTIN_COMMANDS, *specs)))
    assert "app:send-emails" in listing.stdout and "Send the queued emails" in listing.stdout


def test_make_command_refuses_a_bad_command_name(tmp_path: Path) -> None:
    code, _, err = make(tmp_path, "make:command", "Send", "--command", "Send Emails")
    assert code == 1
    assert 'Invalid command name "Send Emails"' in err
