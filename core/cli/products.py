"""``shoprec exclude``: what lists may show - postage, fees and vouchers found, the owner's word."""

from __future__ import annotations

import click

from .base import State, cli, emit_json, pass_state


@cli.command("exclude")
@click.argument("items", nargs=-1, metavar="ITEM_ID...")
@click.option("--allow", "mode", flag_value="allow",
              help="Let these items back into lists (when ShopRec took them for fees or vouchers).")
@click.option("--reset", "mode", flag_value="reset",
              help="Forget your choice for these items: ShopRec decides again.")
@click.option("--list", "list_only", is_flag=True,
              help="List every item kept out of lists, with the reason.")
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
@pass_state
def exclude_cmd(state: State, items: tuple[str, ...], mode: str | None, list_only: bool,
                as_json: bool) -> None:
    """Keep items out of every list and audience (by item id or SKU).

    ShopRec already leaves out what is not a product - postage, shipping, fees, discounts,
    manual adjustments, gift cards and vouchers, free samples - found from names (English,
    French, German, Spanish, Chinese), prices and baskets. `--list` shows them with the
    reason; your choices are kept in the workspace and take effect at the next `train` or
    `recommend`.
    """
    from ..data.dataset import Dataset
    from ..data.merchandise import (
        OWNER_ALLOWED,
        OWNER_EXCLUDED,
        UnknownItems,
        allowed_back,
        list_non_products,
        set_owner_choice,
    )

    if items and not list_only:
        ws = state.ws
        choice = {None: OWNER_EXCLUDED, "allow": OWNER_ALLOWED, "reset": None}[mode]
        try:
            n = set_owner_choice(ws, items, choice)
        except UnknownItems as exc:
            raise click.ClickException(str(exc)) from exc
        what = {None: "kept out of lists", "allow": "allowed in lists again",
                "reset": "left to ShopRec's detection"}[mode]
        click.echo(f"{n} item{'s' if n != 1 else ''} {what}. Lists change at the next "
                   "`shoprec train` or `shoprec recommend --save`.")
        return
    ds = Dataset.from_workspace(state.reader)
    out = list_non_products(ds)
    back = allowed_back(ds)
    if as_json:
        emit_json({
            "not_recommended": [{"item_id": n.item_id, "title": n.title, "reason": n.reason,
                                 "source": n.source} for n in out],
            "allowed_back": [{"item_id": i, "title": t} for i, t in back],
        })
        return
    if not out and not back:
        click.echo("Every item may be recommended: nothing looks like postage, a fee or a voucher.")
        return
    if out:
        click.echo(f"Not recommended ({len(out)}):")
        width = min(max(len(n.item_id) for n in out), 24)
        for n in out:
            click.echo(f"  {n.item_id[:24].ljust(width)}  {n.title[:40]:<40}  {n.reason}")
    if back:
        click.echo(f"Recommended although they look like fees (you let them back in) ({len(back)}):")
        for item_id, title in back:
            click.echo(f"  {item_id}  {title}  (let back in by you)")
    click.echo("Change: `shoprec exclude ID` keeps an item out, `--allow ID` lets it in, "
               "`--reset ID` undoes your choice.")
