"""Choosing where torch runs: auto = CUDA, then Apple MPS, then CPU; the user can force one."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # torch is imported by the functions: the command line starts without it
    import torch

DEVICE_CHOICES = ("auto", "cpu", "cuda", "mps")


class DeviceUnavailable(RuntimeError):
    """The requested device is not present on this computer."""


def resolve_device(requested: str = "auto") -> torch.device:
    """The torch device for ``requested`` (one of :data:`DEVICE_CHOICES`)."""
    import torch

    requested = (requested or "auto").lower()
    if requested not in DEVICE_CHOICES:
        raise ValueError(f"unknown device {requested!r}; choose one of {', '.join(DEVICE_CHOICES)}")
    cuda = torch.cuda.is_available()
    mps = getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available()
    if requested == "auto":
        return torch.device("cuda" if cuda else "mps" if mps else "cpu")
    if requested == "cuda" and not cuda:
        raise DeviceUnavailable("no CUDA GPU is available on this computer (try --device cpu)")
    if requested == "mps" and not mps:
        raise DeviceUnavailable("Apple MPS is not available on this computer (try --device cpu)")
    return torch.device(requested)


def autocast_dtype(device: torch.device) -> torch.dtype | None:
    """Mixed-precision dtype for ``device``: bf16 on CUDA when supported, else fp16; None on CPU/MPS."""
    import torch

    if device.type == "cuda":
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    return None


def describe_device(device: torch.device) -> str:
    import torch

    if device.type == "cuda":
        return f"cuda ({torch.cuda.get_device_name(device)})"
    return device.type
