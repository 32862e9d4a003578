"""Keep the Hugging Face libraries offline: ShopRec never downloads anything at run time."""

from __future__ import annotations

import os

_OFFLINE_VARS = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "DO_NOT_TRACK": "1",
    # transformers >= 5 "kernelizes" models with code fetched from the Hugging Face hub by the
    # `kernels` package unless told not to: ShopRec never runs downloaded code, and the installers
    # leave `kernels` out (it is also what crashed the frozen app when its data file was missing).
    "USE_HUB_KERNELS": "NO",
}


def enforce_offline() -> None:
    """Set the variables that stop huggingface_hub/transformers from reaching the network.

    Called before any of those libraries is imported (the CLI and desktop entry points do).
    """
    for key, value in _OFFLINE_VARS.items():
        os.environ[key] = value


enforce_offline()
