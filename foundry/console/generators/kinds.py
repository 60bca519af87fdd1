"""What each kind of class is called, where it goes and which stub renders it.

The ``make:*`` commands and ``make:model``'s flags share these, so ``make:model Post -c`` and
``make:controller PostController --resource --model Post`` write the same files.
"""

from __future__ import annotations

from pathlib import Path

from foundry.console.context import CommandError
from foundry.console.generators.names import Name
from foundry.console.generators.writer import MODELS_PACKAGE, Generator

__all__ = [
    "model_exists",
    "plan_command",
    "plan_controller",
    "plan_factory",
    "plan_middleware",
    "plan_model",
    "plan_observer",
    "plan_policy",
    "plan_request",
    "plan_resource",
    "plan_resource_controller",
    "plan_job",
    "plan_seeder",
    "plan_service",
]

MODELS = MODELS_PACKAGE
#: App commands live here; ``artisan`` discovers them (see ``foundry.console.manifest``).
APP_COMMANDS_DIR = Path("app/console/commands")


def model_exists(generator: Generator, model: Name) -> bool:
    """Whether ``app/models/<model>.py`` exists or is being written by this command."""
    return generator.exists(MODELS / f"{model.snake}.py")


def require_model(generator: Generator, model: Name) -> None:
    """Refuse to write code against a model that does not exist."""
    if not model_exists(generator, model):
        raise CommandError(
            f"Model [{MODELS / (model.snake + '.py')}] does not exist. "
            f"Create it first: artisan make:model {model.studly}"
        )


def plan_model(generator: Generator, name: Name) -> None:
    """``app/models/<snake>.py``."""
    generator.add(MODELS / f"{name.snake}.py", "model", export=name.studly, name=name)


def plan_factory(generator: Generator, name: Name, model: Name) -> None:
    """``database/factories/<snake>.py`` (``PostFactory`` -> ``post_factory.py``)."""
    require_model(generator, model)
    generator.add(
        f"database/factories/{name.snake}.py", "factory", export=name.studly, name=name, model=model
    )


def plan_job(generator: Generator, name: Name, *, batchable: bool = False) -> None:
    """``app/jobs/<snake>.py`` (``SendWelcomeEmail`` -> ``send_welcome_email.py``); with
    ``batchable``, a ``BatchableJob`` whose ``handle`` returns early once its batch is
    cancelled."""
    stub = "job_batchable" if batchable else "job"
    generator.add(f"app/jobs/{name.snake}.py", stub, export=name.studly, name=name)


def plan_seeder(generator: Generator, name: Name, factory: Name | None = None) -> None:
    """``database/seeders/<snake>.py``; with ``factory``, it creates ten models with it."""
    generator.add(
        f"database/seeders/{name.snake}.py",
        "seeder",
        export=name.studly,
        name=name,
        factory=factory,
    )


def plan_service(generator: Generator, name: Name, model: Name | None = None) -> None:
    """``app/services/<snake>.py``; with ``model``, find/create/update/delete for it."""
    if model is not None:
        require_model(generator, model)
    generator.add(
        f"app/services/{name.snake}.py", "service", export=name.studly, name=name, model=model
    )


def plan_request(generator: Generator, name: Name, action: str | None = None) -> None:
    """``app/http/requests/<snake>.py``."""
    generator.add(
        f"app/http/requests/{name.snake}.py",
        "request",
        export=name.studly,
        name=name,
        action=action or "a request",
    )


def plan_resource(
    generator: Generator, name: Name, model: Name | None = None, *, collection: bool = False
) -> None:
    """``app/http/resources/<snake>.py``: a ``JsonResource`` or a ``ResourceCollection``."""
    if model is not None:
        require_model(generator, model)
    subject = f"{model.words} models" if model else name.without_suffix("Resource").words
    stub = "resource_collection" if collection else "resource"
    generator.add(
        f"app/http/resources/{name.snake}.py",
        stub,
        export=name.studly,
        name=name,
        model=model,
        subject=subject,
    )


def plan_controller(generator: Generator, name: Name) -> None:
    """``app/http/controllers/<snake>.py``: a router with an ``index`` endpoint."""
    prefix = Name.parse(name.without_suffix("Controller").snake).table.replace("_", "-")
    generator.add(f"app/http/controllers/{name.snake}.py", "controller", name=name, prefix=prefix)


def plan_resource_controller(
    generator: Generator, name: Name, model: Name, *, with_policy: bool = True
) -> list[str]:
    """A REST controller for ``model`` plus the service, requests, resource and policy it uses.

    Companions that exist already are used as they are; returns the ones planned here. The
    controller authorizes every action through the model's policy (``with_policy=False``: the
    caller plans the policy itself).
    """
    require_model(generator, model)
    service = model.with_suffix("Service")
    store = Name.parse(f"Store{model.studly}Request")
    update = Name.parse(f"Update{model.studly}Request")
    resource = model.with_suffix("Resource")
    planned: list[str] = []
    if not generator.exists(f"app/services/{service.snake}.py"):
        plan_service(generator, service, model)
        planned.append(service.studly)
    for request, action in ((store, "creating"), (update, "updating")):
        if not generator.exists(f"app/http/requests/{request.snake}.py"):
            plan_request(generator, request, f"{action} a {model.words}")
            planned.append(request.studly)
    if not generator.exists(f"app/http/resources/{resource.snake}.py"):
        plan_resource(generator, resource, model)
        planned.append(resource.studly)
    policy = model.with_suffix("Policy")
    if with_policy and not generator.exists(f"app/policies/{policy.snake}.py"):
        plan_policy(generator, policy, model)
        planned.append(policy.studly)
    generator.add(
        f"app/http/controllers/{name.snake}.py",
        "controller_resource",
        name=name,
        model=model,
        service=service,
        store=store,
        update=update,
        resource=resource,
        var=Name.parse(model.table).snake,
        path=model.table.replace("_", "-"),
    )
    return planned


def _subject(model: Name | None) -> tuple[str, str, str, str]:
    """(subject, parameter name, parameter type, parameter in words) for policy/observer."""
    if model is None:
        return "a model", "model", "object", "model"
    return f"{model.words} models", model.snake, model.studly, model.words


def plan_policy(generator: Generator, name: Name, model: Name | None = None) -> None:
    """``app/policies/<snake>.py``."""
    if model is not None:
        require_model(generator, model)
    subject, var, model_type, _ = _subject(model)
    user_module, user_class = _user_model(generator)
    generator.add(
        f"app/policies/{name.snake}.py",
        "policy",
        export=name.studly,
        name=name,
        model=model,
        subject=subject,
        var=var,
        model_type=model_type,
        user_module=user_module,
        user_class=user_class,
    )


def _user_model(generator: Generator) -> tuple[str, str]:
    """The app's user model (``AUTH_MODEL``) as (module, class), when the project holds its
    module; else the framework's ``AuthUser``, which every user model extends."""
    from foundry.config.auth import AuthSettings

    module, _, cls = AuthSettings().model.rpartition(".")
    if module and generator.exists(module.replace(".", "/") + ".py"):
        return module, cls
    return "foundry.auth.user", "AuthUser"


def plan_observer(generator: Generator, name: Name, model: Name | None = None) -> None:
    """``app/observers/<snake>.py``."""
    if model is not None:
        require_model(generator, model)
    subject, var, model_type, var_words = _subject(model)
    generator.add(
        f"app/observers/{name.snake}.py",
        "observer",
        export=name.studly,
        name=name,
        model=model,
        subject=subject,
        var=var,
        model_type=model_type,
        var_words=var_words,
    )


def plan_middleware(generator: Generator, name: Name) -> None:
    """``app/http/middleware/<snake>.py``."""
    generator.add(
        f"app/http/middleware/{name.snake}.py", "middleware", export=name.studly, name=name
    )


def plan_provider(generator: Generator, name: Name) -> None:
    """``app/providers/<snake>.py``; it runs once listed in ``config/app.py``."""
    generator.add(f"app/providers/{name.snake}.py", "provider", export=name.studly, name=name)


def plan_command(generator: Generator, name: Name, command: str, help_text: str) -> None:
    """``app/console/commands/<snake>.py``, found by artisan without importing it."""
    generator.add(
        APP_COMMANDS_DIR / f"{name.snake}.py",
        "command",
        name=name,
        command=command,
        help=help_text,
    )
