"""``make:*``: the files each generator writes, overwrite refusal, names, and ``--all``."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from foundry.console.generators.names import Name
from foundry.console.manifest import BUILTIN_COMMANDS, discover_commands
from foundry.console.registry import CommandRegistry
from foundry.database.migrator import Migrator
from tests.foundry.console.helpers import artisan
from tests.foundry.database.inspection import read_schema


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
    assert "from app.models.blog_post import BlogPost\n" in init
    assert '__all__: list[str] = ["BlogPost"]' in init


def test_second_model_is_re_exported_in_sorted_order(tmp_path: Path) -> None:
    assert make(tmp_path, "make:model", "Post")[0] == 0
    assert make(tmp_path, "make:model", "comment")[0] == 0

    lines = (tmp_path / "app/models/__init__.py").read_text().splitlines()
    imports = [line for line in lines if line.startswith("from app.models.")]
    assert imports == [
        "from app.models.comment import Comment",
        "from app.models.post import Post",
    ]
    assert '__all__: list[str] = ["Comment", "Post"]' in lines


def test_model_is_added_to_the_apps_own_all_list(tmp_path: Path) -> None:
    init = tmp_path / "app/models/__init__.py"
    init.parent.mkdir(parents=True)
    (tmp_path / "app/__init__.py").write_text("")
    init.write_text(
        '"""The models of the application."""\n\n'
        "from app.models.user import User\n\n"
        '__all__ = ["User"]\n'
    )

    assert make(tmp_path, "make:model", "Person")[0] == 0
    assert make(tmp_path, "make:model", "Post")[0] == 0

    assert init.read_text() == (
        '"""The models of the application."""\n\n'
        "from app.models.person import Person\n"
        "from app.models.post import Post\n"
        "from app.models.user import User\n\n"
        '__all__ = ["Person", "Post", "User"]\n'
    )


def test_a_models_package_without_all_gets_explicit_re_exports(tmp_path: Path) -> None:
    init = tmp_path / "app/models/__init__.py"
    init.parent.mkdir(parents=True)
    (tmp_path / "app/__init__.py").write_text("")
    init.write_text('"""Models."""\n')

    assert make(tmp_path, "make:model", "Post")[0] == 0

    assert "from app.models.post import Post as Post\n" in init.read_text()


def test_classes_are_exported_where_their_package_lists_its_classes(tmp_path: Path) -> None:
    for package in ("app", "app/events", "app/services", "app/rules"):
        (tmp_path / package).mkdir(parents=True, exist_ok=True)
    (tmp_path / "app/__init__.py").write_text("")
    (tmp_path / "app/events/__init__.py").write_text('"""Events."""\n\n__all__: list[str] = []\n')
    (tmp_path / "app/services/__init__.py").write_text(
        '"""Services."""\n\nfrom app.services.billing_service import BillingService\n\n'
        '__all__ = [\n    "BillingService",\n]\n'
    )
    (tmp_path / "app/rules/__init__.py").write_text('"""Rules: nothing exported."""\n')

    _, out, _ = make(tmp_path, "make:event", "OrderShipped")
    assert "OrderShipped exported from [app/events/__init__.py]." in out
    make(tmp_path, "make:service", "Audit")
    make(tmp_path, "make:rule", "Uppercase")

    events = (tmp_path / "app/events/__init__.py").read_text()
    assert "from app.events.order_shipped import OrderShipped\n" in events
    assert '__all__: list[str] = ["OrderShipped"]' in events
    services = (tmp_path / "app/services/__init__.py").read_text()
    assert services.index("import AuditService") < services.index("import BillingService")
    assert '__all__ = ["AuditService", "BillingService"]' in services
    assert (tmp_path / "app/rules/__init__.py").read_text() == '"""Rules: nothing exported."""\n'


def test_existing_file_is_refused_without_force_and_replaced_with_it(tmp_path: Path) -> None:
    assert make(tmp_path, "make:service", "Billing")[0] == 0
    target = tmp_path / "app/services/billing_service.py"
    target.write_text("# mine\n")

    code, _, err = make(tmp_path, "make:service", "Billing")
    assert code == 1
    assert "File [app/services/billing_service.py] already exists. Use --force" in err
    assert target.read_text() == "# mine\n"

    code, out, _ = make(tmp_path, "make:service", "Billing", "--force")
    assert code == 0
    assert "class BillingService:" in target.read_text()
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
        ("Person", "Person", "person", "people"),
        ("Stats", "Stats", "stats", "stats"),
        ("UserStats", "UserStats", "user_stats", "user_stats"),
        ("Status", "Status", "status", "statuses"),
        ("Child", "Child", "child", "children"),
        ("Bus", "Bus", "bus", "buses"),
        ("Analysis", "Analysis", "analysis", "analyses"),
        ("Sheep", "Sheep", "sheep", "sheep"),
        ("Data", "Data", "data", "data"),
        ("Address", "Address", "address", "addresses"),
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
    assert 'api_resource("posts", PostController, parameter="post", authorize=Post)' in controller
    assert "Validated[StorePostRequest]" in controller and "post: Bound[Post]" in controller


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
            "def force_delete(self, user: AuthUser, post: Post) -> bool:",
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
    assert "Register it in app/providers/observer_service_provider.py:" in out
    assert "from app.models.post import Post" in out
    assert "from app.observers.post_observer import PostObserver" in out
    assert "observers = {Post: [PostObserver]}" in out


def test_observer_finds_its_model_from_its_name(tmp_path: Path) -> None:
    make(tmp_path, "make:model", "Person")
    _, out, _ = make(tmp_path, "make:observer", "PersonObserver")

    assert "observers = {Person: [PersonObserver]}" in out
    source = (tmp_path / "app/observers/person_observer.py").read_text()
    assert "from app.models.person import Person" in source
    assert "def created(self, person: Person) -> None:" in source


def test_observer_without_a_model_says_so(tmp_path: Path) -> None:
    _, out, _ = make(tmp_path, "make:observer", "AuditObserver")
    assert "observers = {YourModel: [AuditObserver]} (or make it with --model)" in out
    source = (tmp_path / "app/observers/audit_observer.py").read_text()
    assert "def created(self, model: object) -> None:" in source
    assert "``observers = {YourModel: [AuditObserver]}``" in source


def test_make_service_names_the_class_as_make_model_all_does(tmp_path: Path) -> None:
    code, out, _ = make(tmp_path, "make:service", "Tag")
    assert code == 0
    assert "File [app/services/tag_service.py] created successfully." in out
    assert "class TagService:" in (tmp_path / "app/services/tag_service.py").read_text()

    mine = (tmp_path / "app/services/tag_service.py").read_text() + "# mine\n"
    (tmp_path / "app/services/tag_service.py").write_text(mine)

    code, out, err = make(tmp_path, "make:model", "Tag", "--all")
    assert code == 0, err
    # The controller uses the service make:service wrote, rather than writing another.
    assert "app/services/tag_service.py" not in out
    assert (tmp_path / "app/services/tag_service.py").read_text() == mine
    controller = (tmp_path / "app/http/controllers/tag_controller.py").read_text()
    assert "from app.services.tag_service import TagService" in controller
    assert sorted(p.name for p in (tmp_path / "app/services").iterdir()) == [
        "__init__.py",
        "tag_service.py",
    ]
    assert make(tmp_path, "make:service", "TagService", "--force")[0] == 0
    assert not (tmp_path / "app/services/tag_service_service.py").exists()


def test_plural_tables_and_routes_of_irregular_names(tmp_path: Path) -> None:
    code, out, err = make(tmp_path, "make:model", "Person", "--all")

    assert code == 0, err
    assert '__tablename__ = "people"' in (tmp_path / "app/models/person.py").read_text()
    controller = (tmp_path / "app/http/controllers/person_controller.py").read_text()
    assert 'api_resource("people", PersonController, parameter="person"' in controller
    assert "create_people_table" in out
    assert make(tmp_path, "make:model", "Stats")[0] == 0
    assert '__tablename__ = "stats"' in (tmp_path / "app/models/stats.py").read_text()


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


def test_make_model_all_writes_a_migration_that_creates_the_models_table(
    tmp_path: Path, database_url: str
) -> None:
    assert artisan("make:model", "Post", "--all", "--path", str(tmp_path)).exit_code == 0
    versions = tmp_path / "database/migrations/versions"
    [migration] = versions.glob("*_create_posts_table.py")
    assert 'op.create_table(\n        "posts"' in migration.read_text()
    model = (tmp_path / "app/models/post.py").read_text()
    assert "artisan migrate" in model  # the docstring's next step is one that works

    applied = Migrator(database_url, versions_path=versions, format_files=False).upgrade()

    assert len(applied) == 1
    # The stub's columns: its id and the timestamps.
    assert read_schema(database_url)["posts"] == {"id", "created_at", "updated_at"}
    if database_url.startswith("sqlite"):
        assert (
            "AUTOINCREMENT"
            in sqlite3.connect(database_url.split("///")[1])
            .execute("SELECT sql FROM sqlite_master WHERE name = 'posts'")
            .fetchone()[0]
        )
    rolled_back = Migrator(database_url, versions_path=versions, format_files=False).rollback()
    assert rolled_back == applied and "posts" not in read_schema(database_url)


def test_api_controller_authorizes_through_the_policy_typed_with_the_user_model(
    tmp_path: Path,
) -> None:
    (tmp_path / "app/models").mkdir(parents=True)
    (tmp_path / "app/models/user.py").write_text("class User: ...\n")
    assert make(tmp_path, "make:model", "Post")[0] == 0

    code, out, err = make(tmp_path, "make:controller", "PostController", "--api", "--model", "Post")

    assert code == 0, err
    assert "File [app/policies/post_policy.py] created successfully." in out
    controller = (tmp_path / "app/http/controllers/post_controller.py").read_text()
    assert "authorize=Post" in controller
    policy = (tmp_path / "app/policies/post_policy.py").read_text()
    assert "from app.models.user import User" in policy
    assert "def update(self, user: User, post: Post) -> bool:" in policy
