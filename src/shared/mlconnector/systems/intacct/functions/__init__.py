"""One small object per API function; each renders the element that goes inside `<function>`."""

from mlconnector.systems.intacct.functions.ap_adjustment import ApAdjustmentLine, CreateApAdjustment
from mlconnector.systems.intacct.functions.base import ApiFunction, new_controlid
from mlconnector.systems.intacct.functions.get_api_session import GetAPISession
from mlconnector.systems.intacct.functions.inspect import Inspect, ObjectType
from mlconnector.systems.intacct.functions.install_app import InstallApp
from mlconnector.systems.intacct.functions.legacy import po_document_number
from mlconnector.systems.intacct.functions.lookup import (
    FieldDefinition,
    Lookup,
    ObjectDefinition,
    RelationshipDefinition,
)
from mlconnector.systems.intacct.functions.po_transaction import CreatePoTransaction, PoTransactionLine
from mlconnector.systems.intacct.functions.query import Order, Query, stable_order
from mlconnector.systems.intacct.functions.read import Read, ReadByName
from mlconnector.systems.intacct.functions.read_by_query import ReadByQuery, ReadMore
from mlconnector.systems.intacct.functions.supdoc import (
    AttachmentFile,
    CreateSupdoc,
    CreateSupdocFolder,
    GetSupdoc,
    UpdateSupdoc,
)
from mlconnector.systems.intacct.functions.write import Create, Delete, Update

__all__ = [
    "ApAdjustmentLine",
    "ApiFunction",
    "AttachmentFile",
    "Create",
    "CreateApAdjustment",
    "CreatePoTransaction",
    "CreateSupdoc",
    "CreateSupdocFolder",
    "Delete",
    "FieldDefinition",
    "GetAPISession",
    "GetSupdoc",
    "Inspect",
    "InstallApp",
    "Lookup",
    "ObjectDefinition",
    "ObjectType",
    "Order",
    "PoTransactionLine",
    "Query",
    "Read",
    "ReadByName",
    "ReadByQuery",
    "ReadMore",
    "RelationshipDefinition",
    "Update",
    "UpdateSupdoc",
    "new_controlid",
    "po_document_number",
    "stable_order",
]
