"""One small object per API function; each renders the element that goes inside `<function>`."""

from mlconnector.systems.intacct.functions.base import ApiFunction, new_controlid
from mlconnector.systems.intacct.functions.get_api_session import GetAPISession
from mlconnector.systems.intacct.functions.lookup import Lookup
from mlconnector.systems.intacct.functions.query import Order, Query, stable_order
from mlconnector.systems.intacct.functions.read import Read, ReadByName
from mlconnector.systems.intacct.functions.read_by_query import ReadByQuery, ReadMore
from mlconnector.systems.intacct.functions.write import Create, Delete, Update

__all__ = [
    "ApiFunction",
    "Create",
    "Delete",
    "GetAPISession",
    "Lookup",
    "Order",
    "Query",
    "Read",
    "ReadByName",
    "ReadByQuery",
    "ReadMore",
    "Update",
    "new_controlid",
    "stable_order",
]
