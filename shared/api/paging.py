"""Every service's lists come a page at a time: ?page= (from 1) and ?page_size= (up to 100), with the
count of everything in the X-Pagination header, as JSON text: {"total": ..., "total_pages": ...,
"page": ..., "page_size": ...}. Unknown query parameters are refused, naming them.

    @blueprint.arguments(PageQuery, location="query", unknown=None)
    @blueprint.response(200, ThingOut(many=True), **PAGED)
    def list_things(query):
        return sliced(all_things, query)          # or page_of(one_page, total, query)

Work that only what is shown needs (rendering, unsealing) is done on the page alone:
`sliced(all_things, query, shown=lambda page: [rendered(thing) for thing in page])`.

flask-smorest's own paginate() documents its header as an object (a header carries text), lets any
page number through to the database (one past a 64-bit integer is a 500) and ignores unknown
parameters; hence these few lines.
"""
from marshmallow import RAISE, Schema, fields, validate

PAGINATION_HEADER = {"description": 'JSON text: {"total", "total_pages", "page", "page_size"}',
                     "schema": {"type": "string"}}
PAGED = {"headers": {"X-Pagination": PAGINATION_HEADER}}


class PageQuery(Schema):
    """Not an ApiSchema: a query string is text, so its integers cannot be strict JSON numbers."""
    class Meta:
        unknown = RAISE

    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=1_000_000))
    page_size = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


def first_item(query: dict) -> int:
    return (query["page"] - 1) * query["page_size"]


def page_of(items: list, total: int, query: dict):
    """A view's answer: this page's items, and the header that counts them all."""
    total_pages = -(-total // query["page_size"])
    header = f'{{"total": {total}, "total_pages": {total_pages}, "page": {query["page"]}, ' \
             f'"page_size": {query["page_size"]}}}'
    return items, 200, {"X-Pagination": header}


def sliced(items: list, query: dict, shown=list):
    """The page of `items` the query asks for; `shown` makes what the page shows of its items alone
    (rendered, unsealed), never of all of them."""
    first = first_item(query)
    return page_of(shown(items[first:first + query["page_size"]]), len(items), query)
