"""Response parsing: records, and failure detection at control, authentication and result level."""

from __future__ import annotations

import pytest

from mlconnector.systems.intacct.classify import ErrorRules
from mlconnector.systems.intacct.errors import (
    AuthenticationError,
    ConfigurationError,
    DuplicateControlId,
    HostileResponse,
    IntacctError,
    ParseError,
    RateLimited,
    ResultError,
    SessionExpired,
    TransientError,
)
from mlconnector.systems.intacct.response import parse_response
from tests.unit.intacct.intacct_fakes import (
    auth_failure_xml,
    auth_xml,
    control_failure_xml,
    errors_xml,
    response_xml,
    result_xml,
    session_result,
)


def parse(body: str, *, used_session: bool = True, uniqueid: bool = False, **kwargs: object):  # type: ignore[no-untyped-def]
    return parse_response(body.encode(), used_session=used_session, uniqueid=uniqueid, **kwargs)  # type: ignore[arg-type]


def test_query_records_are_parsed_as_a_list_with_nested_dicts() -> None:
    data = (
        '<data listtype="VENDOR" totalcount="3" offset="0" count="2" numremaining="1">'
        "<VENDOR><RECORDNO>1</RECORDNO><VENDORID>V1</VENDORID><PARENTID/>"
        "<DISPLAYCONTACT><EMAIL1>a@x.example</EMAIL1><MAILADDRESS><CITY>Springfield</CITY></MAILADDRESS></DISPLAYCONTACT></VENDOR>"
        "<VENDOR><RECORDNO>2</RECORDNO><VENDORID>V2</VENDORID><PARENTID>V1</PARENTID></VENDOR></data>"
    )
    response = parse(response_xml(result_xml("query", "q-1", data=data)))
    [result] = response.results
    assert result.ok
    assert result.error is None
    assert result.records == [
        {
            "RECORDNO": "1",
            "VENDORID": "V1",
            "PARENTID": "",
            "DISPLAYCONTACT": {"EMAIL1": "a@x.example", "MAILADDRESS": {"CITY": "Springfield"}},
        },
        {"RECORDNO": "2", "VENDORID": "V2", "PARENTID": "V1"},
    ]
    assert result.data is not None
    assert (
        result.data.listtype,
        result.data.totalcount,
        result.data.count,
        result.data.numremaining,
        result.data.offset,
    ) == ("VENDOR", 3, 2, 1, 0)
    assert response.by_controlid()["q-1"] is result


def test_read_by_query_single_lowercase_record_is_still_a_list() -> None:
    data = (
        '<data listtype="vendor" count="1" totalcount="1" numremaining="0" resultId="77656">'
        "<vendor><recordno>9</recordno><Name>Acme</Name></vendor></data>"
    )
    [result] = parse(response_xml(result_xml("readByQuery", "r", data=data))).results
    assert result.records == [{"RECORDNO": "9", "NAME": "Acme"}]
    assert result.data is not None
    assert result.data.result_id == "77656"


def test_repeated_elements_become_lists_and_empty_sets_are_empty() -> None:
    data = (
        '<data listtype="APBILL" count="1"><APBILL><RECORDNO>5</RECORDNO><APBILLITEMS>'
        "<APBILLITEM><LINE_NO>1</LINE_NO></APBILLITEM><APBILLITEM><LINE_NO>2</LINE_NO></APBILLITEM>"
        "</APBILLITEMS></APBILL></data>"
    )
    empty = '<data listtype="department" count="0" totalcount="0" numremaining="0" resultId=""/>'
    first, second = parse(
        response_xml(result_xml("read", "a", data=data), result_xml("readByQuery", "b", data=empty))
    ).results
    assert first.records[0]["APBILLITEMS"] == {"APBILLITEM": [{"LINE_NO": "1"}, {"LINE_NO": "2"}]}
    assert second.records == []
    assert second.data is not None
    assert second.data.result_id is None
    assert second.data.totalcount == 0


def test_create_result_and_legacy_key() -> None:
    created = (
        '<data listtype="objects" count="1"><vendor><RECORDNO>31</RECORDNO><VENDORID>V9</VENDORID></vendor></data>'
    )
    legacy = "<key>C1234</key>"
    first, second = parse(
        response_xml(result_xml("create", "c1", data=created), result_xml("create_class", "c2", data=legacy))
    ).results
    assert first.records == [{"RECORDNO": "31", "VENDORID": "V9"}]
    assert second.key == "C1234"
    assert second.records == []


def test_control_failure_bad_sender_is_an_authentication_error() -> None:
    with pytest.raises(AuthenticationError) as caught:
        parse(control_failure_xml("XL03000006", "Incorrect Intacct XML Partner ID or password."))
    assert caught.value.errorno == "XL03000006"
    assert caught.value.description2 == "Incorrect Intacct XML Partner ID or password."
    assert "XL03000006" in str(caught.value)


def test_control_failure_invalid_xml_is_a_configuration_error() -> None:
    desc = "XML Parse schema error: Fatal Error 76: Opening and ending tag mismatch: query line 0 and readByQuery"
    with pytest.raises(ConfigurationError) as caught:
        parse(control_failure_xml("XL03000003", desc))
    assert caught.value.description2 == desc


def test_http_401_with_xml_body_is_an_authentication_error() -> None:
    body = control_failure_xml("XMLGW_JPP0002", "Sign-in information is incorrect. Please check your request.")
    with pytest.raises(AuthenticationError):
        parse(body, http_status=401)


def test_gw_0011_is_an_authentication_error() -> None:
    with pytest.raises(AuthenticationError):
        parse(control_failure_xml("GW-0011", "Invalid Request [Request ID: abc]"), http_status=400)


def test_rate_limit_at_control_level_carries_retry_after() -> None:
    with pytest.raises(RateLimited) as caught:
        parse(control_failure_xml("GW-0010", "Rate limit exceeded"), http_status=429, retry_after=12.0)
    assert caught.value.retry_after == 12.0
    assert caught.value.min_wait == 5.0
    assert caught.value.may_have_run is False
    with pytest.raises(RateLimited):
        parse(control_failure_xml("XL99", "API rate limit exceeded for this company"))


def test_unknown_control_failure_is_a_plain_intacct_error() -> None:
    with pytest.raises(IntacctError) as caught:
        parse(control_failure_xml("XL0399", "Something odd"))
    assert type(caught.value) is IntacctError


def test_authentication_failure_with_session_is_session_expired() -> None:
    with pytest.raises(SessionExpired) as caught:
        parse(auth_failure_xml("XL03000006", "Invalid session"), used_session=True)
    assert caught.value.errorno == "XL03000006"


def test_authentication_failure_with_login_is_an_authentication_error() -> None:
    with pytest.raises(AuthenticationError) as caught:
        parse(auth_failure_xml("XL03000006", "Sign-in information is incorrect"), used_session=False)
    assert not isinstance(caught.value, SessionExpired)


def test_session_wording_is_recognised_even_without_session_auth() -> None:
    with pytest.raises(SessionExpired):
        parse(auth_failure_xml("XL03000006", "Invalid session ID"), used_session=False)


def test_one_failed_result_does_not_hide_the_others() -> None:
    errors = errors_xml(
        ("BL34000061", "", "Another Project with the given value(s) P1 already exists", "Use a unique value instead."),
        ("BL01001973", "", "Could not create Project record!", ""),
        ("BL01001973", "", "Error while saving the Project info", ""),
    )
    echoed = '<data listtype="objects" count="1"><project><PROJECTID>P1</PROJECTID></project></data>'
    ok = result_xml(
        "create", "ok-1", data='<data listtype="objects" count="1"><project><RECORDNO>7</RECORDNO></project></data>'
    )
    response = parse(
        response_xml(ok, result_xml("create", "bad-1", status="failure", data=echoed, errors=errors)), uniqueid=True
    )
    good, bad = response.results
    assert good.ok
    assert good.records == [{"RECORDNO": "7"}]
    assert not bad.ok
    assert isinstance(bad.error, ResultError)
    assert [e.errorno for e in bad.error.errors] == ["BL34000061", "BL01001973", "BL01001973"]
    assert bad.error.correction == "Use a unique value instead."
    assert bad.error.controlid == "bad-1"
    assert bad.error.function == "create"
    assert "bad-1" in str(bad.error)
    assert "already exists" in str(bad.error)
    with pytest.raises(ResultError):
        bad.raise_for_status()
    good.raise_for_status()


def test_aborted_transaction_results() -> None:
    rolled_back = errors_xml(("XL03000009", "", "The entire transaction in this operation has been rolled back", ""))
    failed, aborted = parse(
        response_xml(
            result_xml("create", "a", status="failure", errors=rolled_back),
            result_xml("create", "b", status="aborted", errors=rolled_back),
        )
    ).results
    assert isinstance(failed.error, ResultError)
    assert isinstance(aborted.error, ResultError)
    assert "rolled back" in str(aborted.error)


def test_result_without_status_on_a_unique_write_is_a_duplicate() -> None:
    body = response_xml(result_xml("create", "dup-1", status=""))
    [result] = parse(body, uniqueid=True).results
    assert isinstance(result.error, DuplicateControlId)
    [result] = parse(body, uniqueid=False).results
    assert isinstance(result.error, ParseError)


@pytest.mark.parametrize(
    ("errorno", "description2"),
    [
        ("SIM-DUPLICATE-CONTROLID", "whatever"),
        ("XL0300XXXX", "The control ID dup-1 has already been used"),
        ("XL0300XXXX", "Duplicate request: controlid dup-1"),
    ],
)
def test_duplicate_controlid_failures(errorno: str, description2: str) -> None:
    errors = errors_xml((errorno, "", description2, ""))
    [result] = parse(
        response_xml(result_xml("create", "dup-1", status="failure", errors=errors)), uniqueid=True
    ).results
    assert isinstance(result.error, DuplicateControlId)


def test_duplicate_rules_are_configurable() -> None:
    errors = errors_xml(("REAL-CODE-42", "", "something", ""))
    body = response_xml(result_xml("create", "dup-1", status="failure", errors=errors))
    [result] = parse(body, uniqueid=True).results
    assert type(result.error) is ResultError
    rules = ErrorRules(duplicate_errornos=frozenset({"REAL-CODE-42"}))
    [result] = parse(body, uniqueid=True, rules=rules).results
    assert isinstance(result.error, DuplicateControlId)


def test_outage_messages_are_transient() -> None:
    errors = errors_xml(("XL03000001", "", "The Service is Temporarily Off-line", "Please Try Again Later"))
    [result] = parse(response_xml(result_xml("query", "q", status="failure", errors=errors))).results
    assert isinstance(result.error, TransientError)
    assert result.error.min_wait == 30.0


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("not xml at all", "not well-formed"),
        ("<response><control><status>success</status>", "not well-formed"),
        ("<html><body>502 Bad Gateway</body></html>", "expected <response>"),
        ("<response></response>", "no control block"),
        ("<response><control><status>success</status></control></response>", "no operation"),
        ("<response><control><status>success</status></control><operation/></response>", "no authentication"),
        (response_xml(), "no result"),
        (response_xml("<result><status>success</status><function>query</function></result>"), "no controlid"),
        (response_xml(result_xml("query", "q", data='<data count="many"/>')), "not a number"),
    ],
)
def test_malformed_responses_are_parse_errors(body: str, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        parse(body)


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<response><control><status>&lol4;</status></control></response>"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE response [<!ENTITY xxe SYSTEM "file:///secret.txt">]>
<response><control><status>success</status><controlid>&xxe;</controlid></control></response>"""

PLAIN_DTD = """<?xml version="1.0"?>
<!DOCTYPE response SYSTEM "http://127.0.0.1:9/intacct_response.v2.1.dtd">
<response><control><status>success</status></control></response>"""


@pytest.mark.parametrize("body", [BILLION_LAUGHS, EXTERNAL_ENTITY, PLAIN_DTD], ids=["billion-laughs", "xxe", "dtd"])
def test_hostile_xml_is_refused(body: str) -> None:
    with pytest.raises(ParseError, match="hostile"):
        parse(body)


def test_error_text_is_cleaned_and_secrets_are_scrubbed() -> None:
    errors = errors_xml(
        ("XL03000006", "", "Invalid session SESSION-SECRET-1 for &lt;b&gt;user&lt;/b&gt; it&amp;#039;s", "")
    )
    with pytest.raises(SessionExpired) as caught:
        parse(
            auth_failure_xml().replace(errors_xml(("XL03000006", "", "Invalid session", "")), errors),
            secrets=("SESSION-SECRET-1",),
        )
    assert caught.value.description2 == "Invalid session REDACTED for user it's"
    assert "SESSION-SECRET-1" not in str(caught.value)


def test_session_result_repr_does_not_show_the_session_id() -> None:
    [result] = parse(response_xml(session_result("s", "SESSION-SECRET-2", "https://api.intacct.com/x"))).results
    assert result.records[0]["SESSIONID"] == "SESSION-SECRET-2"
    assert "SESSION-SECRET-2" not in repr(result)


def test_authentication_block_is_read() -> None:
    response = parse(
        response_xml(
            result_xml("query", "q"),
            auth=auth_xml(timestamp="2024-10-04T01:38:10+00:00", timeout="2024-10-04T07:38:10+00:00"),
        )
    )
    assert response.authentication.company_id == "ACME"
    assert response.authentication.session_timeout == "2024-10-04T07:38:10+00:00"
    assert response.controlid == "req-1"


# --------------------------------------------------------------------------- characters XML forbids, sent raw


def _vendors(*names: str) -> str:
    rows = "".join(
        f"<VENDOR><RECORDNO>{i}</RECORDNO><VENDORID>V{i}</VENDORID><NAME>{name}</NAME>"
        f"<DISPLAYCONTACT.EMAIL1>a{i}@x.example</DISPLAYCONTACT.EMAIL1></VENDOR>"
        for i, name in enumerate(names, start=1)
    )
    data = f'<data listtype="VENDOR" totalcount="{len(names)}" offset="0" count="{len(names)}" numremaining="0">'
    return response_xml(result_xml("query", "q-1", data=data + rows + "</data>"))


@pytest.mark.parametrize("bell", ["\x07", "&#7;", "&#x7;", "\x1b"])
def test_forbidden_characters_are_removed_and_their_records_named(bell: str) -> None:
    [result] = parse(_vendors("Clean Co", f"Bell{bell} Co", "Also Clean")).results
    assert [r["NAME"] for r in result.records] == ["Clean Co", "Bell Co", "Also Clean"]
    assert [result.sanitized_fields(i) for i in range(3)] == [(), ("NAME",), ()]


def test_the_fields_of_a_nested_group_are_named_by_their_dotted_path() -> None:
    data = (
        '<data listtype="VENDOR" count="1"><VENDOR><VENDORID>V1</VENDORID>'
        "<DISPLAYCONTACT><EMAIL1>a\x01@x.example</EMAIL1><MAILADDRESS><CITY>Aus\x02tin</CITY></MAILADDRESS>"
        "</DISPLAYCONTACT></VENDOR></data>"
    )
    [result] = parse(response_xml(result_xml("query", "q-1", data=data))).results
    assert result.records[0]["DISPLAYCONTACT"] == {"EMAIL1": "a@x.example", "MAILADDRESS": {"CITY": "Austin"}}
    assert result.sanitized_fields(0) == ("DISPLAYCONTACT.EMAIL1", "DISPLAYCONTACT.MAILADDRESS.CITY")


def test_legal_character_references_are_kept() -> None:
    [result] = parse(_vendors("Tab&#9;and&#x41;\x07")).results
    assert result.records[0]["NAME"] == "Tab\tandA"


def test_a_clean_response_names_no_record() -> None:
    [result] = parse(_vendors("Clean Co", "Other Co")).results
    assert result.data is not None
    assert dict(result.data.sanitized) == {}


def test_a_truncated_response_is_still_a_parse_error_even_with_forbidden_characters() -> None:
    body = _vendors("Bell\x07 Co")[:-40]
    with pytest.raises(ParseError, match="not well-formed"):
        parse(body)


def test_a_hostile_response_is_its_own_kind_of_parse_error() -> None:
    body = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "x">]><response>&a;</response>'
    with pytest.raises(HostileResponse, match="hostile XML: the gateway sent a construct"):
        parse(body)
