"""The Gate (Laravel's): abilities, policies, ``before``/``after`` hooks, ``authorize``.

Checks are synchronous: abilities and policies decide from what is already in memory (the
user's roles and permissions are loaded once per request by ``await user.load_permissions``).
An ability that needs the database belongs in the service, before or after the check.

Resolution of ``check(ability, *args)`` for a user:

1. ``before`` hooks in order; the first non-None answer wins (a super-admin hook returns True);
2. an ability defined with :meth:`AccessGate.define`;
3. else the policy of ``args[0]``'s model class (instance or class), method ``ability``
   (``view-any`` and ``view_any`` both reach ``view_any``), after the policy's own ``before``;
4. else, as Spatie registers permissions on the gate, the permission named ``ability``;
5. ``after`` hooks see the result and may decide when it is still None. None means denied.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from foundry.kernel.errors import AuthorizationError
from foundry.kernel.facades import Swappable

__all__ = [
    "AbilityCallback",
    "AfterCallback",
    "AccessGate",
    "Response",
    "UserGate",
    "gate_user",
    "set_gate_user",
]

#: ``callback(user, *args)`` -> bool, Response, or None (no opinion).
AbilityCallback = Callable[..., "bool | Response | None"]
#: ``after(user, ability, result, *args)`` -> bool, Response or None.
AfterCallback = Callable[..., "bool | Response | None"]

_current_user: ContextVar[Any] = ContextVar("foundry_gate_user", default=None)


def set_gate_user(user: Any) -> None:
    """Make ``user`` the one the gate checks when none is given, for this request or job.

    ``AuthorizedUser`` (``foundry.http.permissions``) does it for the authenticated user.
    """
    _current_user.set(user)


def gate_user() -> Any:
    """The user set by :func:`set_gate_user`, or None (a guest)."""
    return _current_user.get()


@dataclass(frozen=True, slots=True)
class Response:
    """An answer with a reason: ``Response.deny("You do not own this post.")``."""

    allowed: bool
    message: str | None = None
    code: str | None = None

    @classmethod
    def allow(cls, message: str | None = None) -> Response:
        """An allowing answer."""
        return cls(True, message)

    @classmethod
    def deny(cls, message: str | None = None, code: str | None = None) -> Response:
        """A denying answer, whose message becomes the 403's."""
        return cls(False, message, code)

    def denied(self) -> bool:
        """The opposite of ``allowed``."""
        return not self.allowed

    def authorize(self) -> Response:
        """This response, or :class:`AuthorizationError` (403) with its message when denied."""
        if not self.allowed:
            raise AuthorizationError(self.message, error=self.code)
        return self


def _as_response(result: bool | Response | None) -> Response | None:
    if result is None or isinstance(result, Response):
        return result
    return Response(bool(result))


class AccessGate(Swappable):
    """Bound as a singleton; the ``Gate`` facade in :mod:`foundry.permissions` stands for it."""

    def __init__(self) -> None:
        self._abilities: dict[str, AbilityCallback] = {}
        self._policies: dict[type[Any], type[Any]] = {}
        self._policy_instances: dict[type[Any], Any] = {}
        self._before: list[AbilityCallback] = []
        self._after: list[AfterCallback] = []

    # -- definitions -----------------------------------------------------------------------------

    def define(self, ability: str, callback: AbilityCallback) -> None:
        """``callback(user, *args)`` decides ``ability``."""
        self._abilities[ability] = callback

    def has(self, ability: str) -> bool:
        """Whether ``ability`` was defined."""
        return ability in self._abilities

    def policy(self, model: type[Any], policy: type[Any]) -> None:
        """Use ``policy`` (a class built with no arguments) for ``model`` and its subclasses."""
        self._policies[model] = policy
        self._policy_instances.pop(model, None)

    def before(self, callback: AbilityCallback) -> None:
        """``callback(user, ability, *args)`` runs first; a non-None answer is final."""
        self._before.append(callback)

    def after(self, callback: AfterCallback) -> None:
        """``callback(user, ability, result, *args)`` runs last; may decide a None result."""
        self._after.append(callback)

    def get_policy_for(self, target: Any) -> Any | None:
        """The policy instance for a model instance or class, or None."""
        cls = target if isinstance(target, type) else type(target)
        for klass in cls.__mro__:
            policy = self._policies.get(klass)
            if policy is not None:
                instance = self._policy_instances.get(klass)
                if instance is None:
                    instance = self._policy_instances[klass] = policy()
                return instance
        return None

    # -- checks ----------------------------------------------------------------------------------

    def inspect(self, ability: str, *args: Any, user: Any = None) -> Response:
        """The full answer for ``ability`` (``user``: default the request's user)."""
        who = user if user is not None else _current_user.get()
        result: Response | None = None
        for hook in self._before:
            result = _as_response(hook(who, ability, *args))
            if result is not None:
                break
        if result is None:
            result = self._decide(who, ability, args)
        for after in self._after:
            answer = _as_response(after(who, ability, result.allowed if result else None, *args))
            if result is None and answer is not None:
                result = answer
        return result if result is not None else Response.deny()

    def _decide(self, user: Any, ability: str, args: tuple[Any, ...]) -> Response | None:
        callback = self._abilities.get(ability)
        if callback is not None:
            return None if user is None else _as_response(callback(user, *args))
        if args:
            policy = self.get_policy_for(args[0])
            method = getattr(policy, ability.replace("-", "_"), None) if policy else None
            if policy is not None and callable(method):
                if user is None:
                    return None
                hook = getattr(policy, "before", None)
                if callable(hook):
                    early = _as_response(hook(user, ability))
                    if early is not None:
                        return early
                rest = args[1:] if isinstance(args[0], type) else args
                return _as_response(method(user, *rest))
        check = getattr(user, "check_permission_to", None)
        if callable(check) and getattr(user, "permissions_loaded", False):
            return Response(True) if check(ability) else None
        return None

    def allows(self, ability: str, *args: Any, user: Any = None) -> bool:
        """Whether ``ability`` is allowed."""
        return self.inspect(ability, *args, user=user).allowed

    def denies(self, ability: str, *args: Any, user: Any = None) -> bool:
        """Whether ``ability`` is denied."""
        return not self.allows(ability, *args, user=user)

    def check(self, abilities: str | Iterable[str], *args: Any, user: Any = None) -> bool:
        """Whether every one of ``abilities`` is allowed."""
        names = [abilities] if isinstance(abilities, str) else list(abilities)
        return all(self.allows(name, *args, user=user) for name in names)

    def any(self, abilities: Iterable[str], *args: Any, user: Any = None) -> bool:
        """Whether at least one of ``abilities`` is allowed."""
        return any(self.allows(name, *args, user=user) for name in abilities)

    def none(self, abilities: Iterable[str], *args: Any, user: Any = None) -> bool:
        """Whether none of ``abilities`` is allowed."""
        return not self.any(abilities, *args, user=user)

    def authorize(self, ability: str, *args: Any, user: Any = None) -> Response:
        """The allowing response, or :class:`AuthorizationError` (403, the policy's message)."""
        return self.inspect(ability, *args, user=user).authorize()

    def for_user(self, user: Any) -> UserGate:
        """Laravel's ``Gate::forUser($user)``: the same checks for another user."""
        return UserGate(self, user)


@dataclass(frozen=True, slots=True)
class UserGate:
    """The gate bound to one user."""

    gate: AccessGate
    user: Any

    def allows(self, ability: str, *args: Any) -> bool:
        """See :meth:`AccessGate.allows`."""
        return self.gate.allows(ability, *args, user=self.user)

    def denies(self, ability: str, *args: Any) -> bool:
        """See :meth:`AccessGate.denies`."""
        return self.gate.denies(ability, *args, user=self.user)

    def inspect(self, ability: str, *args: Any) -> Response:
        """See :meth:`AccessGate.inspect`."""
        return self.gate.inspect(ability, *args, user=self.user)

    def authorize(self, ability: str, *args: Any) -> Response:
        """See :meth:`AccessGate.authorize`."""
        return self.gate.authorize(ability, *args, user=self.user)
