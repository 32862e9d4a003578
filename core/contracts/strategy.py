"""The strategy contract every recommender implements, built-in or third-party.

A strategy learns from a :class:`~shoprec.core.data.dataset.Dataset` and returns **raw logits**
``<p_u, p_i>`` (never σ: the core applies σ and calibration once, for all strategies). Its state is
a flat dict of named tensors, saved with safetensors (never pickle). Its parameters are a typed
dataclass whose fields carry ranges and help text (:func:`param`), so any front end can build a
settings form with no strategy-specific code (:func:`describe_params`).

Shapes: ``logits(users, items)`` returns float32 ``(len(users), len(items))``, or
``(len(users), n_items)`` when ``items`` is None. User and item arguments are dataset indices.
"""

from __future__ import annotations

import dataclasses
import json
import typing
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

import numpy as np
import torch
from safetensors.torch import load as st_load
from safetensors.torch import save as st_save

from .progress import CancelToken, ProgressFn

if TYPE_CHECKING:  # the SDK names the dataset's type; it imports nothing else of ShopRec's
    from ..data.dataset import Dataset


def param(
    default: Any,
    *,
    help: str,
    min: float | None = None,
    max: float | None = None,
    choices: tuple[Any, ...] | None = None,
    advanced: bool = False,
    zero: str | None = None,
) -> Any:
    """A strategy parameter: a dataclass field with range, choices and help for settings forms.

    ``zero``: what the lowest value means when it is a setting of its own ("auto" for "0 tunes it
    on validation"); forms show that word instead of the number. The lowest value is 0, or a
    sentinel below the real range where 0 is a real value (item-kNN's shrink: -1).
    """
    meta = {"help": help, "min": min, "max": max, "choices": choices, "advanced": advanced,
            "zero": zero}
    return dataclasses.field(default=default, metadata={"shoprec": meta})


@dataclass(frozen=True, kw_only=True)
class ParamField:
    """One parameter as a front end sees it."""

    name: str
    type: type
    default: Any
    help: str = ""
    min: float | None = None
    max: float | None = None
    choices: tuple[Any, ...] | None = None
    advanced: bool = False
    zero: str | None = None  # what the minimum (0, or a sentinel such as -1) means, if not itself


def describe_params(params_cls: type) -> list[ParamField]:
    """The parameters of a params dataclass, in declaration order."""
    hints = typing.get_type_hints(params_cls)
    out = []
    for f in dataclasses.fields(params_cls):
        meta = f.metadata.get("shoprec", {})
        out.append(
            ParamField(
                name=f.name,
                type=hints.get(f.name, type(f.default)),
                default=f.default,
                help=meta.get("help", ""),
                min=meta.get("min"),
                max=meta.get("max"),
                choices=meta.get("choices"),
                advanced=meta.get("advanced", False),
                zero=meta.get("zero"),
            )
        )
    return out


def validate_params(params: Any) -> None:
    """Raise ValueError naming the first parameter outside its range or choices."""
    for pf in describe_params(type(params)):
        value = getattr(params, pf.name)
        if pf.choices is not None and value not in pf.choices:
            raise ValueError(f"{pf.name}={value!r} is not one of {list(pf.choices)}")
        if pf.min is not None and value < pf.min:
            raise ValueError(f"{pf.name}={value!r} is below its minimum {pf.min}")
        if pf.max is not None and value > pf.max:
            raise ValueError(f"{pf.name}={value!r} is above its maximum {pf.max}")


def params_from_dict(params_cls: type, values: dict[str, Any]) -> Any:
    """Build a params dataclass from strings or values (CLI ``--param k=v``, stored JSON)."""
    fields = {pf.name: pf for pf in describe_params(params_cls)}
    unknown = set(values) - set(fields)
    if unknown:
        raise ValueError(f"unknown parameter(s) {sorted(unknown)}; known: {sorted(fields)}")
    kwargs = {}
    for name, raw in values.items():
        typ = fields[name].type
        if isinstance(raw, str) and typ is not str:
            if typ is bool:
                raw = raw.strip().lower() in ("1", "true", "yes", "on")
            else:
                try:
                    raw = typ(raw)
                except (TypeError, ValueError) as exc:
                    raise ValueError(f"{name}={raw!r} is not a valid {typ.__name__}") from exc
        kwargs[name] = raw
    params = params_cls(**kwargs)
    validate_params(params)
    return params


def params_to_json(params: Any) -> str:
    return json.dumps(dataclasses.asdict(params), sort_keys=True, default=str)


@dataclass(frozen=True, kw_only=True)
class Reason:
    """Why an item is recommended: a history item that drove it, with a weight and a sentence."""

    item: int  # dataset item index of the history item (-1 when the reason is not an item)
    weight: float
    text: str


class StrategyKit(Protocol):
    """What the engine lends a strategy made of other strategies (the blend): the strategies on
    offer and fitting one of them as ``shoprec train`` would (device, seed, checked scores).

    The engine sets :attr:`Strategy.kit` before it calls ``fit`` or ``load_state_dict``, so a
    plugin reaches other plugins without importing the engine.
    """

    def specs(self) -> dict[str, StrategySpec]: ...

    def fit(self, spec: StrategySpec, params: Any, dataset: Dataset, *, device: torch.device,
            seed: int, progress: ProgressFn | None = None,
            cancel: CancelToken | None = None) -> Strategy: ...


class Strategy(ABC):
    """Base class of all recommenders. Subclasses set ``name`` and ``Params``."""

    name: ClassVar[str]
    Params: ClassVar[type]

    def __init__(self, params: Any | None = None) -> None:
        self.params = params if params is not None else self.Params()
        validate_params(self.params)
        self.dataset: Dataset | None = None
        #: Where torch work runs; the engine sets it from ``--device`` (auto/cpu/cuda/mps).
        self.device: torch.device = torch.device("cpu")
        #: Seed for everything random in ``fit``; equal seeds give equal results on the CPU.
        self.seed: int = 0
        #: The other strategies, lent by the engine (see :class:`StrategyKit`); None until then.
        self.kit: StrategyKit | None = None

    @abstractmethod
    def fit(
        self,
        dataset: Dataset,
        progress: ProgressFn | None = None,
        cancel: CancelToken | None = None,
    ) -> None:
        """Learn from ``dataset``; poll ``cancel`` and raise Cancelled when triggered."""

    @abstractmethod
    def logits(self, users: np.ndarray, items: np.ndarray | None = None) -> np.ndarray:
        """Raw scores <p_u, p_i>, float32 (len(users), len(items) or n_items). Finite always."""

    def training_summary(self) -> dict[str, Any]:
        """How the last ``fit`` learned, for the run's record (a strategy with a training loop:
        ``epochs``, ``best_epoch``, ``stopped`` = early / budget / max_epochs, ``seconds``);
        empty for the others."""
        return {}

    def similar_items(self, item: int, n: int = 10) -> list[tuple[int, float]]:
        """The ``n`` items most similar to ``item`` as (index, similarity), best first."""
        return []

    def explain(self, user: int, item: int) -> list[Reason]:
        """Why ``item`` suits ``user``: history items that drove the score, strongest first."""
        return []

    def reason_weights(
        self, user: int, history: np.ndarray, items: np.ndarray
    ) -> np.ndarray | None:
        """How much each of the customer's ``history`` items raised each of ``items``' scores:
        shape (len(history), len(items)), > 0 where it raised it. One call per customer for a
        whole list; None (the default) when the strategy cannot say, and the list builder then
        asks :meth:`explain` item by item."""
        return None

    def update(self, dataset: Dataset, users: np.ndarray | None = None) -> None:
        """Refresh profiles after new events (``users`` changed); default: swap the dataset in."""
        self.dataset = dataset

    #: Whether the engine refits from scratch on all data after calibrating on a held-out tail.
    #: Cheap models (closed form, a few ALS sweeps) do; models trained for many minutes set it
    #: False and get :meth:`extend` instead, so a training run costs one budget, not two.
    refit_from_scratch: ClassVar[bool] = True

    #: Whether a customer's own events enter their scores (profiles, histories, fold-ins). The
    #: engine then scores the calibration rows from the history the calibrated fit saw when it
    #: carries the calibration over to the final model (see ``engine.fit_calibrated``).
    #: Strategies that score every customer alike (popularity) set it False.
    personal: ClassVar[bool] = True

    def extend(
        self,
        dataset: Dataset,
        progress: ProgressFn | None = None,
        cancel: CancelToken | None = None,
    ) -> None:
        """Bring a fitted model up to ``dataset`` (the fit's events plus a held-out tail) without
        a full refit; default: :meth:`update` for every customer."""
        self.update(dataset)

    # -- state -----------------------------------------------------------------------------
    @abstractmethod
    def state_dict(self) -> dict[str, torch.Tensor]:
        """All learned state as named tensors (safetensors-compatible: contiguous, no sharing)."""

    @abstractmethod
    def load_state_dict(self, state: dict[str, torch.Tensor]) -> None:
        """Restore what :meth:`state_dict` returned (the dataset is attached separately)."""

    def to_bytes(self) -> bytes:
        state = {k: v.detach().cpu().contiguous() for k, v in self.state_dict().items()}
        return st_save(state, metadata={"strategy": self.name, "params": params_to_json(self.params)})

    def load_bytes(self, data: bytes) -> None:
        self.load_state_dict(st_load(data))


@dataclass(frozen=True, kw_only=True)
class StrategySpec:
    """What a plugin registers for one strategy (hook ``shoprec_strategies``)."""

    name: str
    title: str
    description: str
    params: type
    factory: Callable[[Any], Strategy]
    family: str = "other"  # popularity, sequential, collaborative, content, hybrid, basket

    def create(self, params: Any | None = None) -> Strategy:
        return self.factory(params if params is not None else self.params())
