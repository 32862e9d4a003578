"""MovieLens rating files: ratings.csv (header), u.data (tab, no header), ratings.dat (``::``)."""

from __future__ import annotations

from shoprec.core import hookimpl
from shoprec.core.contracts.formats import FormatSpec


def _looks_like_ratings(rows: list[list[str]]) -> bool:
    def ok(r: list[str]) -> bool:
        try:
            return (r[0].strip().isdigit() and r[1].strip().isdigit()
                    and 0 <= float(r[2]) <= 10 and r[3].strip().isdigit())
        except ValueError:
            return False

    full = [r for r in rows if len(r) == 4]
    return bool(full) and sum(ok(r) for r in full) >= 0.8 * len(full)


RATINGS = FormatSpec(
    name="movielens",
    title="MovieLens ratings",
    description="ratings.csv (userId,movieId,rating,timestamp), u.data (tab) or ratings.dat (::).",
    columns={
        "customer": ("userId", "user_id", "user id"),
        "item": ("movieId", "movie_id", "item_id", "item id"),
        "rating": ("rating",),
        "time": ("timestamp",),
    },
    required=("customer", "item", "rating", "time"),
    signature=("userId", "movieId"),
    headerless=("customer", "item", "rating", "time"),
    headerless_check=_looks_like_ratings,
    delimiters=("\t", "::", ","),
    file_names=("u.data", "ratings.dat", "ratings.csv", "ua.base", "ua.test", "ub.base", "ub.test"),
    default_type="rating",
    priority=1,
)

MOVIES = FormatSpec(
    name="movielens_movies",
    title="MovieLens movies",
    description="movies.csv (movieId,title,genres): the catalog of a MovieLens set.",
    kind="catalog",
    columns={"item": ("movieId",), "title": ("title",), "category": ("genres",)},
    required=("item", "title"),
    signature=("movieId", "genres"),
    priority=1,
)


def _looks_like_u_item(rows: list[list[str]]) -> bool:
    full = [r for r in rows if len(r) == 24]
    return bool(full) and all(
        r[0].strip().isdigit() and set("".join(r[5:])) <= {"0", "1"} for r in full
    )


U_ITEM = FormatSpec(
    name="movielens_u_item",
    title="MovieLens 100k movies (u.item)",
    description="u.item: id|title|release date|video date|IMDb URL|19 genre flags, latin-1, no header.",
    kind="catalog",
    columns={"item": ("movie id",), "title": ("movie title",), "url": ("IMDb URL",)},
    required=("item", "title"),
    signature=("movie id", "movie title", "IMDb URL"),
    headerless=("item", "title", "", "", "url", *[""] * 19),
    headerless_check=_looks_like_u_item,
    delimiters=("|",),
    file_names=("u.item",),
)


@hookimpl
def shoprec_import_formats() -> list[FormatSpec]:
    return [RATINGS, MOVIES, U_ITEM]
