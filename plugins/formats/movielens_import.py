"""MovieLens rating files: ratings.csv (header), u.data (tab, no header), ratings.dat (``::``)."""

from __future__ import annotations

from shoprec.core import hookimpl
from shoprec.core.importing.formats import FormatSpec


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


@hookimpl
def shoprec_import_formats() -> list[FormatSpec]:
    return [RATINGS, MOVIES]
