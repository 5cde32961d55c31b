"""The filters of issue 16 (``--province``, ``--county``, ``--level``, ``--agency-type``) for every
headquarters command that shows figures: they apply ``hq.scope`` to the command's connection."""

from __future__ import annotations

import argparse

from citizen_rights_desktop.cli.context import say
from citizen_rights_desktop.exchange.errors import ExchangeError


def add_filters(parser: argparse.ArgumentParser, province: bool = True) -> None:
    """The filters of issue 16, on every figure of the command (``hq.scope``)."""
    if province:
        parser.add_argument("--province", help="only this province's units (its id, e.g. fars, or 'national')")
    parser.add_argument("--county", help="only the units of this county (as their profiles name it)")
    parser.add_argument("--level", help="only units of this organizational level (e.g. county_office)")
    parser.add_argument("--agency-type", help="only units of this agency type: the name without level and place, e.g. «ثبت اسناد و املاک»")


def apply_filters(args: argparse.Namespace, database) -> None:
    """Apply the command's filters to ``database``'s connection (after refreshing the digests)."""
    from citizen_rights_desktop.hq.scope import BadScope, Scope, apply_scope

    province = getattr(args, "province", None)
    try:
        chosen = Scope(province, args.county, args.level, args.agency_type).check()
    except BadScope as exc:
        raise ExchangeError("bad_scope", exc.message_en, exc.message_fa) from None
    units = apply_scope(database.conn, chosen)
    if units >= 0:
        say(f"filtered to {chosen.describe()}: {units} unit(s)")
